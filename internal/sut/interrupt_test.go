//go:build !race

package sut_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
