//go:build !race

package sut_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/sut"
	"github.com/paydrill/paydrill/reports"
)

// paydrillCLI builds the image and the paydrill binary from this checkout
// and returns the binary's path.
func paydrillCLI(t *testing.T) string {
	t.Helper()
	if err := exec.Command("docker", "build", "-q", "-t", testImage, imageContext(t)).Run(); err != nil {
		t.Fatalf("docker build: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "paydrill")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/paydrill").CombinedOutput(); err != nil {
		t.Fatalf("build paydrill: %v\n%s", err, out)
	}
	return bin
}

// TestInterruptRemovesContainers: Ctrl-C (SIGINT) during `paydrill run
// --container` ends the run with exit 3 and leaves no container or network
// with paydrill's label behind.
func TestInterruptRemovesContainers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image and starts a container")
	}
	requireDocker(t)
	ctx := context.Background()
	if err := sut.RemoveLeftovers(ctx); err != nil {
		t.Fatal(err)
	}
	bin := paydrillCLI(t)
	partial := filepath.Join(t.TempDir(), "partial.json")
	cmd := exec.Command(bin, "run", "builtin:merchant-freeze", "--container", testImage,
		"--paydrill-image", testImage, "--time-scale", "20", "-q", "--json", partial)
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the whole stage is up, 4 mocks, the edge and the
	// router (polling the engine, not sleeping blind).
	deadline := time.Now().Add(90 * time.Second)
	for {
		// Leftovers skips containers of a live paydrill: ask the engine directly.
		out, err := exec.Command("docker", "ps", "-q", "--filter", "label="+sut.Label).Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(string(out), "\n") >= 6 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the drill's six containers did not start within 90s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // let traffic flow
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 3 {
			t.Errorf("interrupted run ended with %v, want exit status 3", err)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the interrupted run did not end within 60s")
	}
	assertNoLeftovers(t)
	// What it measured before the interrupt is still written.
	b, err := os.ReadFile(partial)
	if err != nil {
		t.Fatalf("no partial report: %v", err)
	}
	var r reports.Report
	if err := json.Unmarshal(b, &r); err != nil || !r.Interrupted || r.Orders.Created == 0 {
		t.Errorf("partial report: %v, interrupted %v, %d orders; want an interrupted report with orders", err, r.Interrupted, r.Orders.Created)
	}
}

// TestInterruptCampaign: SIGINT or SIGTERM at random moments of a
// container drill, setup included, each sometimes with its echo a
// millisecond later (`timeout -s INT` signals the process and its group)
// and sometimes with a second Ctrl-C two seconds on: every run exits with
// the interrupted code (3) and leaves no container and no network.
// PAYDRILL_INTERRUPT_CAMPAIGN sets how many moments (2 in make test; 20 for
// issue 13's campaign: about 15 minutes).
func TestInterruptCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image and starts containers")
	}
	requireDocker(t)
	n := 2
	if v := os.Getenv("PAYDRILL_INTERRUPT_CAMPAIGN"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("PAYDRILL_INTERRUPT_CAMPAIGN=%q: want a positive count", v)
		}
	}
	if err := sut.RemoveLeftovers(context.Background()); err != nil {
		t.Fatal(err)
	}
	bin := paydrillCLI(t)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PAYDRILL_INTERRUPT_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("PAYDRILL_INTERRUPT_SEED=%q: %v", v, err)
		}
	}
	t.Logf("campaign seed %d (PAYDRILL_INTERRUPT_SEED to repeat)", seed)
	rng := rand.New(rand.NewPCG(seed, 13))
	for i := range n {
		sig := []os.Signal{syscall.SIGINT, syscall.SIGTERM}[rng.IntN(2)]
		// Setup (image checks, network, six containers) takes 5 to 20 s
		// here; the moments cover it and the first seconds of traffic.
		after := 100*time.Millisecond + time.Duration(rng.Int64N(int64(25*time.Second)))
		echo, second := rng.IntN(2) == 0, rng.IntN(3) == 0
		name := fmt.Sprintf("%d/%s at %v echo %v second %v", i, sig, after.Round(time.Millisecond), echo, second)
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "run", "builtin:merchant-freeze", "--container", testImage,
				"--paydrill-image", testImage, "--time-scale", "20", "-q", "--json", filepath.Join(t.TempDir(), "r.json"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
				t.Fatalf("the drill ended before its interrupt at %v: %v\n%s", after, err, stderr.String())
			case <-time.After(after):
			}
			_ = cmd.Process.Signal(sig)
			if echo {
				time.Sleep(time.Millisecond)
				_ = cmd.Process.Signal(sig)
			}
			if second {
				select {
				case err = <-done:
				case <-time.After(2 * time.Second):
					_ = cmd.Process.Signal(sig)
				}
			}
			if err == nil {
				select {
				case err = <-done:
				case <-time.After(90 * time.Second):
					_ = cmd.Process.Kill()
					t.Fatalf("the interrupted run did not end within 90s\n%s", stderr.String())
				}
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 3 {
				t.Errorf("interrupted run ended with %v, want exit status 3\n%s", err, stderr.String())
			}
			// What this run started carries its process id: other runs on
			// the engine (a test suite beside the campaign) are not its.
			mine := "label=" + sut.LabelPID + "=" + strconv.Itoa(cmd.Process.Pid)
			out, derr := exec.Command("docker", "ps", "-aq", "--filter", mine).Output()
			nets, nerr := exec.Command("docker", "network", "ls", "-q", "--filter", mine).Output()
			if derr != nil || nerr != nil {
				t.Fatalf("docker ps: %v; docker network ls: %v", derr, nerr)
			}
			if c, k := strings.Fields(string(out)), strings.Fields(string(nets)); len(c)+len(k) > 0 {
				t.Errorf("left behind: containers %v, networks %v\n%s", c, k, stderr.String())
				_ = sut.RemoveLeftovers(context.Background()) // its process is gone
			}
		})
	}
}
