//go:build !race

package sut_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/sut"
)

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
	// The image, built once from the repository's Dockerfile.
	r, err := sut.StartRouter(ctx, sut.Options{Image: "paydrill:test", Build: buildContext(t),
		Scenario: "builtin:merchant-freeze", Providers: map[string]string{
			"alpha": "http://127.0.0.1:1", "beta": "http://127.0.0.1:1",
			"gamma": "http://127.0.0.1:1", "delta": "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()

	bin := filepath.Join(t.TempDir(), "paydrill")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/paydrill").CombinedOutput(); err != nil {
		t.Fatalf("build paydrill: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "builtin:merchant-freeze", "--container", "paydrill:test", "--time-scale", "60", "-q")
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the router container is up (polling the engine, not sleeping blind).
	deadline := time.Now().Add(60 * time.Second)
	for {
		// Leftovers skips containers of a live paydrill: ask the engine directly.
		out, err := exec.Command("docker", "ps", "-q", "--filter", "label="+sut.Label).Output()
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the router container did not start within 60s")
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
}
