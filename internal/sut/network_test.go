package sut_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/sut"
)

// TestInterruptDoesNotCutNetworkCreate: a drill network whose create an
// interrupt cuts short is still created and handed back for Close to
// remove, with the interrupt's error. The engine finishes a create it has
// received whatever the client does; before, the cut create returned
// nothing and the network the engine finished a moment later was left
// behind (the 20-moment campaign: SIGTERM 1.3 s into setup, "create
// network: context canceled", one network left). The context here is
// cancelled before the call, the end of that race made certain.
func TestInterruptDoesNotCutNetworkCreate(t *testing.T) {
	requireDocker(t)
	runID := "network-test-" + strconv.Itoa(os.Getpid())
	labels := map[string]string{sut.Label: runID, sut.LabelPID: strconv.Itoa(os.Getpid())}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the interrupt
	n, err := sut.NewDrillNetwork(ctx, labels)
	if n != nil {
		defer n.Remove(context.Background())
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("network create under an interrupt: error %v, want context.Canceled", err)
	}
	if n == nil {
		t.Fatal("the cut create returned no network: the one the engine goes on to create would be left behind")
	}
	out, err := exec.Command("docker", "network", "ls", "-q", "--filter", "label="+sut.Label+"="+runID).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(out)); len(got) != 1 {
		t.Errorf("networks labelled with the run: %v, want the one returned", got)
	}
}
