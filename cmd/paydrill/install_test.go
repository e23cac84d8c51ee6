package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// 'go install ./cmd/paydrill' from a clone (as docs/install.md says)
// gives a binary whose 'paydrill version' names the commit it was built
// from. It clones this checkout (a git worktree is not stamped: the go
// command looks for a .git directory) and builds the binary: skipped with
// -short and outside a git checkout.
func TestGoInstallStampsRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("builds paydrill with go install (-short)")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	rev := strings.TrimSpace(string(head))
	clone, gobin := filepath.Join(t.TempDir(), "paydrill"), t.TempDir()
	if out, err := exec.Command("git", "clone", "--quiet", "../..", clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	// -buildvcs=true: a GOFLAGS of -buildvcs=false (as on some CI machines)
	// would leave the revision out.
	cmd := exec.Command("go", "install", "-buildvcs=true", "./cmd/paydrill")
	cmd.Dir = clone
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install ./cmd/paydrill: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(gobin, "paydrill"), "version").CombinedOutput()
	if err != nil {
		t.Fatalf("paydrill version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "paydrill ") || !strings.Contains(string(out), rev[:12]) {
		t.Errorf("paydrill version printed %q, want the revision %s", out, rev[:12])
	}
}
