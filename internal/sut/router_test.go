package sut_test

import (
	"context"
	"net/http"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/sut"
)

func TestIsPaydrill(t *testing.T) {
	got := map[string]bool{}
	for _, img := range []string{"paydrill:dev", "paydrill", "ghcr.io/acme/paydrill:1.2", "paydrill@sha256:abc", "acme/router:1", "paydrill-router:dev"} {
		got[img] = sut.IsPaydrill(img)
	}
	want := map[string]bool{"paydrill:dev": true, "paydrill": true, "ghcr.io/acme/paydrill:1.2": true,
		"paydrill@sha256:abc": true, "acme/router:1": false, "paydrill-router:dev": false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("IsPaydrill (-want +got):\n%s", d)
	}
}

func TestProviderEnv(t *testing.T) {
	if got := sut.ProviderEnv("big-bank"); got != "PAYDRILL_PROVIDER_BIG_BANK" {
		t.Errorf("ProviderEnv(big-bank) = %s", got)
	}
}

// TestStartRouter: the image builds from the repository's Dockerfile with
// nothing pulled, the router answers /healthz on its loopback URL, and Close
// leaves nothing labelled behind.
func TestStartRouter(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	if err := sut.RemoveLeftovers(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := sut.StartRouter(ctx, sut.Options{Image: testImage, Build: imageContext(t), Secret: []byte("test-secret"), Scenario: "../../scenarios/merchant-freeze.yaml",
		Providers: map[string]string{"alpha": "http://127.0.0.1:1", "beta": "http://127.0.0.1:2", "gamma": "http://127.0.0.1:3", "delta": "http://127.0.0.1:4"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(r.URL + "/healthz")
	if err != nil {
		t.Error(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s/healthz: %s", r.URL, resp.Status)
		}
	}
	cs, _, err := sut.Leftovers(ctx)
	if err != nil || len(cs) != 1 || cs[0] != r.ID() {
		t.Errorf("labelled containers while running: %v, %v; want [%s]", cs, err, r.ID())
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
	assertNoLeftovers(t)
}

// TestRemoveLeftovers: a router container whose run never closed it (as
// after a kill) is removed by label.
func TestRemoveLeftovers(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	r, err := sut.StartRouter(ctx, sut.Options{Image: testImage, Build: imageContext(t), Secret: []byte("test-secret"), Scenario: "builtin:merchant-freeze",
		Providers: map[string]string{"alpha": "http://127.0.0.1:1", "beta": "http://127.0.0.1:2", "gamma": "http://127.0.0.1:3", "delta": "http://127.0.0.1:4"}})
	if err != nil {
		t.Fatal(err)
	}
	// A drill network whose paydrill (pid 999999) is gone.
	out, err := exec.Command("docker", "network", "create", "--label", sut.Label+"=killed-run",
		"--label", sut.LabelPID+"=999999", "paydrill-leftover-test").CombinedOutput()
	if err != nil {
		t.Fatalf("docker network create: %v\n%s", err, out)
	}
	if err := sut.RemoveLeftovers(ctx); err != nil {
		t.Fatal(err)
	}
	assertNoLeftovers(t)
	if _, err := http.Get(r.URL + "/healthz"); err == nil {
		t.Errorf("the removed router still answers at %s", r.URL)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close after the container was removed: %v", err)
	}
}
