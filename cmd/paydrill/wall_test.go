package main

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// Wall-clock flags: usage errors exit 2 with a reason, before anything starts.
func TestWallFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--sut", "http://10.1.2.3:8080"}, "not on loopback"},
		{[]string{"run", "--sut", "http://example.com"}, "not on loopback"},
		{[]string{"run", "--sut", "ftp://127.0.0.1"}, "want an http(s) URL"},
		{[]string{"run", "--live", "--sut", "http://127.0.0.1:8080"}, "give one"},
		{[]string{"run", "--time-scale", "10"}, "go with --live, --sut or --container"},
		{[]string{"run", "--live", "--container", "paydrill:dev"}, "give one"},
		{[]string{"run", "--sut", "http://127.0.0.1:8080", "--container", "paydrill:dev"}, "give one"},
		{[]string{"run", "--live", "--time-scale", "0.5"}, "at least 1"},
		{[]string{"run", "--live", "builtin:merchant-freeze", "builtin:silent-freeze"}, "take one scenario"},
		{[]string{"run", "--paydrill-image", "paydrill:x"}, "--paydrill-image goes with --container"},
		{[]string{"run", "--container", "paydrill:dev", "builtin:provider-crash", "builtin:provider-hang"}, "take one scenario"},
	}
	for _, tt := range tests {
		code, _, stderr := paydrill(t, context.Background(), tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("paydrill %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, stderr, exitUsage, tt.want)
		}
	}
}

// A scenario's router.http makes run a wall-clock drill of that router,
// under the same loopback rule as --sut.
func TestScenarioRouterHTTPRefusedOffLoopback(t *testing.T) {
	file := writeScenario(t, "remote.yaml", `name: remote
duration: 10m
traffic: {arrivals: {type: poisson, rate: 1/s}}
providers: [{name: alpha}]
router: {http: "http://10.9.8.7:8080"}
`)
	code, _, stderr := paydrill(t, context.Background(), "run", file, "-q")
	if code != exitUsage || !strings.Contains(stderr, "router.http") || !strings.Contains(stderr, "not on loopback") {
		t.Errorf("run with router.http off loopback: exit %d, stderr %q; want %d naming router.http", code, stderr, exitUsage)
	}
}

// A scenario that names its router (router.container) runs on its own: among
// several files it is refused, not quietly drilled in virtual time; and
// --time-scale goes with it.
func TestScenarioRouterContainerUsage(t *testing.T) {
	file := writeScenario(t, "own.yaml", `name: own
duration: 10m
traffic: {arrivals: {type: poisson, rate: 1/s}}
providers: [{name: alpha}]
router: {container: {image: "nosuch-router:1"}}
`)
	code, _, stderr := paydrill(t, context.Background(), "run", file, "builtin:merchant-freeze", "-q")
	if code != exitUsage || !strings.Contains(stderr, "run it on its own") {
		t.Errorf("run with router.container among several: exit %d, stderr %q; want %d, run it on its own", code, stderr, exitUsage)
	}
	code, _, stderr = paydrill(t, context.Background(), "run", "builtin:merchant-freeze", "builtin:silent-freeze", "--time-scale", "10", "-q")
	if code != exitUsage || !strings.Contains(stderr, "--time-scale") {
		t.Errorf("--time-scale with several virtual-time files: exit %d, stderr %q; want %d", code, stderr, exitUsage)
	}
}

// An invalid wall-clock run exits 5, whatever its expectations said; an
// interrupted one 3.
func TestExitCodeInvalid(t *testing.T) {
	tests := []struct {
		r    reports.Report
		want int
	}{
		{reports.Report{Verdict: "invalid"}, exitInvalid},
		{reports.Report{Verdict: "invalid", Interrupted: true}, exitAborted},
		{reports.Report{Verdict: "fail"}, exitFail},
		{reports.Report{Verdict: "pass"}, exitPass},
	}
	for _, tt := range tests {
		if got := exitCode(&tt.r); got != tt.want {
			t.Errorf("verdict %s, interrupted %v: exit %d, want %d", tt.r.Verdict, tt.r.Interrupted, got, tt.want)
		}
	}
}

// --sut at a port where nothing listens exits 2 before any traffic, saying
// the router does not answer GET /healthz.
func TestSUTClosedPortRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, stdout, stderr := paydrill(t, context.Background(), "run", "builtin:merchant-freeze", "--sut", "http://"+addr, "-q")
	if code != exitUsage || !strings.Contains(stderr, "does not answer GET /healthz") || stdout != "" {
		t.Errorf("--sut at a closed port: exit %d, stdout %q, stderr %q; want %d and no traffic", code, stdout, stderr, exitUsage)
	}
}
