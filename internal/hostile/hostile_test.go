package hostile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The corpus holds at least 100 malformed inputs (issue 13), every group
// of them, and is the same on every call.
func TestCorpus(t *testing.T) {
	digest := func() map[string][32]byte {
		t.Helper()
		inputs, err := Corpus("../..")
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string][32]byte{}
		for _, in := range inputs {
			if _, ok := in.Files[in.Scenario]; !ok {
				t.Errorf("%s: no file %s", in.Name, in.Scenario)
			}
			for name, content := range in.Files {
				var b bytes.Buffer
				if err := content(&b); err != nil {
					t.Fatal(err)
				}
				sums[in.Name+" "+name] = sha256.Sum256(b.Bytes())
			}
		}
		return sums
	}
	first := digest()
	if diff := cmp.Diff(first, digest()); diff != "" {
		t.Errorf("two corpora differ (-first +second):\n%s", diff)
	}
	inputs, _ := Corpus("../..")
	groups := map[string]int{}
	malformed := 0
	for _, in := range inputs {
		group, _, _ := strings.Cut(in.Name, "/")
		groups[group]++
		if !in.Accepted {
			malformed++
		}
	}
	if malformed < 100 {
		t.Errorf("%d malformed inputs; issue 13 asks for at least 100", malformed)
	}
	for _, g := range []string{"format", "scenario", "replay", "generated", "generated-replay", "accepted", "accepted-replay"} {
		if groups[g] == 0 {
			t.Errorf("no input in group %s (have %v)", g, groups)
		}
	}
}

// Each rule is broken by one result and kept by the others.
func TestJudge(t *testing.T) {
	bad := Input{Name: "scenario/x.yaml", Scenario: "x.yaml", Files: map[string]Content{"x.yaml": Bytes(nil)}}
	replay := replayInput("replay/o.csv", "o.csv", nil)
	good := bad
	good.Accepted = true
	ok := Result{Command: "validate", Code: 2, Wall: time.Second, RSS: 30 << 20, Stderr: "x.yaml:3:9: bucket: too small\n"}
	with := func(f func(r *Result)) Result {
		r := ok
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		in   Input
		r    Result
		want []string
	}{
		{"refused with a place", bad, ok, nil},
		{"a replay row's place", replay, with(func(r *Result) { r.Stderr = "drill.yaml: traffic.replay.file: o.csv:3: row 2: bad" }), nil},
		{"a path before the name", bad, with(func(r *Result) { r.Stderr = "/tmp/a/x.yaml:1:1: the file holds no scenario" }), nil},
		{"exit 0", bad, with(func(r *Result) { r.Code = 0 }), []string{"exit 0; want 2 (bad input)"}},
		{"exit 3", bad, with(func(r *Result) { r.Code = 3; r.Command = "run" }), []string{"exit 3; want 2 (bad input)"}},
		{"no place", bad, with(func(r *Result) { r.Stderr = "x.yaml: something is wrong" }), []string{"stderr names no FILE:LINE of x.yaml"}},
		{"another file's place", bad, with(func(r *Result) { r.Stderr = "notx.yaml:3:1: bad" }), []string{"stderr names no FILE:LINE of x.yaml"}},
		{"internal error", bad, with(func(r *Result) { r.Code = 70 }), []string{"internal error (exit 70)"}},
		{"panic exiting 2", bad, with(func(r *Result) {
			r.Stderr = "x.yaml:1:1: panic: runtime error: makeslice: len out of range\n\ngoroutine 1 [running]:\nmain.main()"
		}), []string{"panic trace in stderr"}},
		{"slow", bad, with(func(r *Result) { r.Wall = 11 * time.Second }), []string{"took 11s; the limit is 10s"}},
		{"big", bad, with(func(r *Result) { r.RSS = 2 << 30 }), []string{"peak RSS 2048.0 MiB; the limit is 1024.0 MiB"}},
		{"killed", bad, with(func(r *Result) { r.Code = exitKilled; r.Wall = time.Minute }), []string{"killed after 1m0s (did not exit by itself)", "took 1m0s; the limit is 10s"}},
		{"accepted", good, with(func(r *Result) { r.Code = 0; r.Stderr = "" }), nil},
		{"accepted refused", good, ok, []string{"validate refused an input the corpus lists as accepted (exit 2)"}},
		{"accepted run fails its drill", good, with(func(r *Result) { r.Command, r.Code = "run", 1 }), nil},
		{"accepted run cannot go on", good, with(func(r *Result) { r.Command, r.Code = "run", 3 }), []string{"run did not survive what validate accepted (exit 3)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Judge(tc.in, tc.r, Issue13)); diff != "" {
				t.Errorf("Judge(%+v) (-want +got):\n%s", tc.r, diff)
			}
		})
	}
}

// Run starts each process, measures it and judges it: a stand-in for
// paydrill written in sh breaks one rule per input.
func TestRunJudgesProcesses(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "fake-paydrill")
	script := `#!/bin/sh
case "$2" in
located.yaml) echo "located.yaml:3:1: bad" >&2; exit 2;;
unlocated.yaml) echo "something is wrong" >&2; exit 2;;
panic.yaml) printf 'panic: boom\n\ngoroutine 1 [running]:\n' >&2; exit 2;;
internal.yaml) exit 70;;
slow.yaml) exec sleep 5;;
esac
`
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var inputs []Input
	for _, name := range []string{"located", "unlocated", "panic", "internal", "slow"} {
		inputs = append(inputs, scenarioInput("t/"+name, name+".yaml", []byte("x")))
	}
	lim := Limits{Wall: 5 * time.Second, RSS: 1 << 30, Kill: 300 * time.Millisecond}
	outcomes, err := Run(context.Background(), bin, filepath.Join(dir, "work"), inputs, lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"t/unlocated": "validate: stderr names no FILE:LINE of unlocated.yaml",
		"t/panic":     "validate: panic trace in stderr",
		"t/internal":  "validate: internal error (exit 70)",
		"t/slow":      "validate: killed after",
	}
	for _, o := range outcomes {
		if len(o.Results) != 2 || o.Results[0].Command != "validate" || o.Results[1].Command != "run" {
			t.Fatalf("%s: results %+v; want validate then run", o.Input.Name, o.Results)
		}
		for _, r := range o.Results {
			if r.RSS <= 0 && os.Getenv("GOOS") != "windows" {
				t.Errorf("%s %s: peak RSS %d not measured", o.Input.Name, r.Command, r.RSS)
			}
		}
		got := strings.Join(o.Breaches, "\n")
		if w := want[o.Input.Name]; w == "" && got != "" || !strings.Contains(got, w) {
			t.Errorf("%s: breaches\n%s\nwant %q", o.Input.Name, got, w)
		}
	}
	var table bytes.Buffer
	if broken := WriteTable(&table, outcomes, lim); broken != 4 {
		t.Errorf("WriteTable counts %d broken inputs; want 4:\n%s", broken, table.String())
	}
	if !strings.Contains(table.String(), "FAIL: 4 of 5 inputs broke a rule") {
		t.Errorf("summary:\n%s", table.String())
	}
}
