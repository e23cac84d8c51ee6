package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// call runs a command line and returns its exit code, stdout and stderr.
func call(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestRecordThenReplay: record a drill, replay it through a scenario's
// traffic.replay: the same orders are created.
func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	code, _, stderr := call(t, "record", "builtin:merchant-freeze", "--out", orders)
	if code != exitPass {
		t.Fatalf("record exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "start: 2026-01-01T00:00:00Z") {
		t.Errorf("record stderr does not give the start to replay with: %s", stderr)
	}
	data, err := os.ReadFile("../../scenarios/merchant-freeze.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), "  arrivals: {type: poisson, rate: 20/s}\n",
		"  replay: {file: orders.csv, start: 2026-01-01T00:00:00Z}\n", 1)
	scen := filepath.Join(dir, "replay.yaml")
	if err := os.WriteFile(scen, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, synth, _ := call(t, "run", "builtin:merchant-freeze", "--progress", "off")
	code, replayed, stderr := call(t, "run", scen, "--progress", "off")
	if code != exitPass {
		t.Fatalf("run replay exit %d: %s", code, stderr)
	}
	line := func(s string) string {
		for l := range strings.SplitSeq(s, "\n") {
			if strings.Contains(l, "created ") {
				return l
			}
		}
		return ""
	}
	if got, want := line(replayed), line(synth); got != want || got == "" {
		t.Errorf("replayed orders line %q, synthetic %q", got, want)
	}
}

func TestRunReplayBadRow(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "o.csv"), []byte("time,amount,currency,product,category,buyer,method,region\n"+
		"2026-01-01T00:00:00Z,100,USD,1,games,1,card,US\n2026-01-01T00:00:01Z,ten,USD,1,games,1,card,US\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "s.yaml"), []byte("name: bad\nduration: 10m\ntraffic:\n  replay: {file: o.csv}\nproviders:\n  - name: alpha\n"), 0o644)
	code, _, stderr := call(t, "run", filepath.Join(dir, "s.yaml"), "--progress", "off")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	want := filepath.Join(dir, "o.csv") + `:3: row 2: column amount: "ten" is not an integer amount in minor units`
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not name the bad row %q", stderr, want)
	}
}

func TestCompareCommand(t *testing.T) {
	code, out, stderr := call(t, "compare", "builtin:merchant-freeze", "--routers", "health,static")
	if code != exitPass {
		t.Fatalf("compare exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Uplift over health", "alpha-frozen  10s / 10s", "never / never"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := call(t, "compare", "builtin:merchant-freeze", "--routers", "fastest"); code != exitUsage {
		t.Errorf("unknown router: exit %d, want %d", code, exitUsage)
	}
}

func TestCalibrateCommand(t *testing.T) {
	code, out, stderr := call(t, "calibrate", "../../internal/replay/testdata/attempts.csv", "--column", "code=error_code")
	if code != exitPass {
		t.Fatalf("calibrate exit %d: %s", code, stderr)
	}
	for _, want := range []string{"providers:\n", "  - name: stripe\n", "    decline_rate: 0.75\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("calibrate output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "4242") {
		t.Error("calibrate output holds a card number")
	}
	if code, _, stderr := call(t, "calibrate", "x.csv", "--column", "colour=red"); code != exitUsage || !strings.Contains(stderr, `no field "colour"`) {
		t.Errorf("bad --column: exit %d, stderr %q", code, stderr)
	}
}
