package sut_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/paydrill/paydrill/internal/sut"
)

// testImage is built from the repository's Dockerfile once per test binary.
// PAYDRILL_TEST_IMAGE names it instead of paydrill:test, so that two
// checkouts testing at once on one engine do not build over each other's
// image.
var testImage = testImageName()

func testImageName() string {
	if name := os.Getenv("PAYDRILL_TEST_IMAGE"); name != "" {
		return name
	}
	return "paydrill:test"
}

// requireDocker skips a test when no Docker engine answers, or fails it
// when CI=true: a CI job that runs these tests must provide one.
func requireDocker(t *testing.T) {
	t.Helper()
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "localhost")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := ping(ctx)
	if err == nil {
		return
	}
	msg := "container drills need a Docker engine (DOCKER_HOST or /var/run/docker.sock): " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func ping(ctx context.Context) error {
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Ping(ctx, client.PingOptions{})
	return err
}

// requireContainers skips a container drill under -short and needs Docker.
func requireContainers(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("a container drill takes about a minute")
	}
	requireDocker(t)
}

var built bool

// imageBuild is the build context of testImage for the first container
// the test binary starts, "" afterwards: the image is built once from
// this checkout, and later containers reuse it.
func imageBuild(t *testing.T) string {
	t.Helper()
	if built {
		return ""
	}
	built = true
	return imageContext(t)
}

// imageContext writes a Docker build context holding the repository's
// Dockerfile and the paydrill binary built static for Linux.
func imageContext(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "paydrill-linux"), "../../cmd/paydrill")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the paydrill binary: %v\n%s", err, out)
	}
	df, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), df, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// assertNoLeftovers: nothing labelled by paydrill is left on the engine.
func assertNoLeftovers(t *testing.T) {
	t.Helper()
	cs, ns, err := sut.Leftovers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cs)+len(ns) > 0 {
		t.Errorf("left behind with label %s: containers %v, networks %v", sut.Label, cs, ns)
	}
}

// TestMain checks, after every test of the package, that nothing with
// paydrill's label is left on the engine (when one answers): the suite
// as a whole cleans up after itself, not only each drill.
func TestMain(m *testing.M) {
	code := m.Run()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if ping(ctx) == nil {
		cs, ns, err := sut.Leftovers(ctx)
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "after the suite: %v\n", err)
			code = 1
		case len(cs)+len(ns) > 0:
			fmt.Fprintf(os.Stderr, "after the suite, left behind with label %s: containers %v, networks %v\n", sut.Label, cs, ns)
			code = 1
		}
	}
	os.Exit(code)
}
