package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// The quarterly rehearsal: the same router on 30% more traffic (another
// seed) is no regression; the same quarter with a router that fails over
// five minutes later is one, and the diff exits 1.
func TestReportDiffQuarters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, err := scenarios.Read("merchant-freeze")
	if err != nil {
		t.Fatal(err)
	}
	grown := strings.Replace(string(base), "rate: 20/s", "rate: 26/s", 1)
	if grown == string(base) {
		t.Fatal("merchant-freeze.yaml no longer sets rate: 20/s")
	}
	q1, q2 := filepath.Join(dir, "q1.json"), filepath.Join(dir, "q2.json")
	if code, _, stderr := paydrill(t, context.Background(), "run", "builtin:merchant-freeze", "--json", q1, "-q"); code != exitPass {
		t.Fatalf("quarter 1: exit %d: %s", code, stderr)
	}
	f2 := writeScenario(t, "merchant-freeze-q2.yaml", grown)
	if code, _, stderr := paydrill(t, context.Background(), "run", f2, "--seed", "7", "--json", q2, "-q"); code != exitPass {
		t.Fatalf("quarter 2: exit %d: %s", code, stderr)
	}

	code, stdout, stderr := paydrill(t, context.Background(), "report", "diff", q1, q2)
	if code != exitPass || strings.Contains(stdout, "REGRESSED") {
		t.Errorf("30%% more traffic, same router: exit %d, want %d, no REGRESSED:\n%s%s", code, exitPass, stdout, stderr)
	}
	if !strings.Contains(stdout, "warning: traffic differs") || !strings.Contains(stdout, "per 1,000 orders") {
		t.Errorf("no warning that the traffic differs, or no rates per 1,000 orders:\n%s", stdout)
	}

	// The same second quarter, the router five minutes slower to fail over.
	data, err := os.ReadFile(q2)
	if err != nil {
		t.Fatal(err)
	}
	r, err := reports.ReadJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Faults {
		f := &r.Faults[i]
		if f.FailoverS == nil {
			t.Fatalf("quarter 2: fault %s never failed over", f.Name)
		}
		*f.FailoverS += 300
		if s := f.FailoverSpan; s != nil {
			s.LowS += 300
			s.HighS += 300
		}
	}
	slow := filepath.Join(dir, "q2-slow.json")
	w, err := os.Create(slow)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteJSON(w, r); err != nil {
		t.Fatal(err)
	}
	w.Close()
	md := filepath.Join(dir, "diff.md")
	code, stdout, stderr = paydrill(t, context.Background(), "report", "diff", q1, slow, "--markdown", md, "--json", "-")
	if code != exitFail {
		t.Errorf("router 5 minutes slower: exit %d, want %d (%s)", code, exitFail, stderr)
	}
	var d reports.DiffResult
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("--json -: %v\n%s", err, stdout)
	}
	found := false
	for _, row := range d.Rows {
		if row.Metric == "fail over" && row.Fault == "alpha-frozen" {
			found = row.Regressed && row.Beyond
		} else if row.Regressed {
			t.Errorf("only fail over should regress: %+v", row)
		}
	}
	if !found || !d.Failed {
		t.Errorf("fail over 5 minutes later not flagged: %s", stdout)
	}
	text, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(text), "## ❌ paydrill diff") || !strings.Contains(string(text), "**REGRESSED**") {
		t.Errorf("--markdown %s: %v\n%s", md, err, text)
	}
}

// diff writes the outputs it is asked for, and refuses render's.
func TestReportDiffOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	js := filepath.Join(dir, "run.json")
	if code, _, stderr := paydrill(t, context.Background(), "run", writeScenario(t, "tiny.yaml", tiny), "--json", js, "-q"); code != exitPass {
		t.Fatalf("run: exit %d (%s)", code, stderr)
	}
	md := filepath.Join(dir, "x.md")
	code, stdout, _ := paydrill(t, context.Background(), "report", "diff", js, js, "--markdown", md)
	if b, err := os.ReadFile(md); code != exitPass || err != nil || !strings.HasPrefix(string(b), "## ✅ paydrill diff") || !strings.Contains(stdout, "no regression") {
		t.Errorf("report diff --markdown x.md: exit %d, file %q (%v), stdout %q", code, b, err, stdout)
	}
	if code, _, _ := paydrill(t, context.Background(), "report", "diff", js, js, "--html", md); code != exitUsage {
		t.Errorf("report diff --html: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := paydrill(t, context.Background(), "report", "diff", js, js, "--json", "-", "--markdown", "-"); code != exitUsage {
		t.Errorf("report diff --json - --markdown -: exit %d, want %d", code, exitUsage)
	}
}
