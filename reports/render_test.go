package reports_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	junit "github.com/joshdk/go-junit"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// seeded runs a library drill once per router at its own seed, with the
// wall-clock figures zeroed so the rendered output is deterministic.
var (
	seededMu sync.Mutex
	seeded   = map[string]*reports.Report{}
)

func seededRun(t *testing.T, name, router string) *reports.Report {
	t.Helper()
	seededMu.Lock()
	defer seededMu.Unlock()
	key := name + "/" + router
	if r, ok := seeded[key]; ok {
		return r
	}
	data, err := scenarios.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(name+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := drill.Run(context.Background(), s, drill.Options{File: "builtin:" + name, Router: router})
	if err != nil {
		t.Fatal(err)
	}
	r.Engine.WallS, r.Engine.Speedup = 0, 0
	// The build as the command stamps it, fixed so goldens do not change
	// with every commit.
	r.Version = "v0.0.0-test 0123456789ab"
	seeded[key] = r
	return r
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./reports/ -update and review the diff)", path)
	}
}

func TestRenderersGolden(t *testing.T) {
	pass := seededRun(t, "merchant-freeze", "health")
	fail := seededRun(t, "merchant-freeze", "static")
	for _, tc := range []struct {
		file  string
		r     *reports.Report
		write func(*bytes.Buffer, *reports.Report) error
	}{
		{"merchant-freeze.html", pass, func(b *bytes.Buffer, r *reports.Report) error { return reports.WriteHTML(b, r) }},
		{"merchant-freeze.md", pass, func(b *bytes.Buffer, r *reports.Report) error { return reports.WriteMarkdown(b, r) }},
		{"merchant-freeze.xml", pass, func(b *bytes.Buffer, r *reports.Report) error { return reports.WriteJUnit(b, r) }},
		{"merchant-freeze-static.md", fail, func(b *bytes.Buffer, r *reports.Report) error { return reports.WriteMarkdown(b, r) }},
		{"merchant-freeze-static.xml", fail, func(b *bytes.Buffer, r *reports.Report) error { return reports.WriteJUnit(b, r) }},
		{"index.html", nil, func(b *bytes.Buffer, _ *reports.Report) error {
			return reports.WriteIndex(b, []reports.IndexEntry{{Report: pass, HTML: "a.html", Markdown: "a.md"}, {Report: fail, HTML: "b.html"}})
		}},
		{"diff-health-static.txt", nil, func(b *bytes.Buffer, _ *reports.Report) error {
			th, err := reports.ParseThreshold("10%")
			if err != nil {
				return err
			}
			return reports.WriteDiff(b, reports.Diff(pass, fail, th))
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, tc.r); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
		})
	}
}

// TestHTMLIsSelfContained: nothing in the page can make a request: no
// script, no external URL in any attribute, and a CSP that forbids
// loading anything but inline styles.
func TestHTMLIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, seededRun(t, "merchant-freeze", "health")); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'`) {
		t.Error("the page has no CSP forbidding requests")
	}
	for _, bad := range []string{"<script", "src=", "@import", "url(", "<link", "href=\"http", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	// The only absolute URLs are the SVG namespaces.
	rest := strings.NewReplacer(`"http://www.w3.org/2000/svg"`, "", `"http://www.w3.org/1999/xlink"`, "").Replace(page)
	if strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
		t.Error("the page holds an absolute URL besides the SVG namespaces")
	}
	if n := strings.Count(page, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
}

// needTool finds a command; when missing the test fails under CI=true and
// is skipped with a message otherwise.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: apt-get install -y " + pkg
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// TestJUnitSchema validates the JUnit output of a passing and a failing
// drill against testdata/junit.xsd (the format Jenkins and Surefire
// read) with xmllint, and reads it with a CI tool's parser.
func TestJUnitSchema(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	for _, router := range []string{"health", "static"} {
		t.Run(router, func(t *testing.T) {
			r := seededRun(t, "merchant-freeze", router)
			var b bytes.Buffer
			if err := reports.WriteJUnit(&b, r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
			if err != nil {
				t.Fatalf("xmllint: %v\n%s", err, out)
			}

			suites, err := junit.Ingest(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(suites) != 1 {
				t.Fatalf("%d suites, want 1", len(suites))
			}
			s := suites[0]
			if s.Totals.Tests != len(r.Expectations) {
				t.Errorf("tests = %d, want one per expectation: %d", s.Totals.Tests, len(r.Expectations))
			}
			failed := 0
			for _, x := range r.Expectations {
				if !x.Pass {
					failed++
				}
			}
			if s.Totals.Failed != failed {
				t.Errorf("failed = %d, want %d", s.Totals.Failed, failed)
			}
			for _, tc := range s.Tests {
				if tc.Status == junit.StatusFailed && (!strings.Contains(tc.Message, "observed") || !strings.Contains(tc.Message, "limit")) {
					t.Errorf("failure of %q without observed value and limit: %q", tc.Name, tc.Message)
				}
			}
			if router == "static" && failed == 0 {
				t.Error("the static router passed merchant-freeze: nothing to check failures on")
			}
		})
	}
}

func TestDiffFlagsTheSlowerRouter(t *testing.T) {
	fast := seededRun(t, "merchant-freeze", "health")
	slow := seededRun(t, "merchant-freeze", "priority")
	th, err := reports.ParseThreshold("10%,30s")
	if err != nil {
		t.Fatal(err)
	}
	d := reports.Diff(fast, slow, th)
	var failover *reports.DiffRow
	for i := range d.Rows {
		if d.Rows[i].Fault == "alpha-frozen" && d.Rows[i].Metric == "fail over" {
			failover = &d.Rows[i]
		}
	}
	if failover == nil || !failover.Regressed || !failover.Beyond || !d.Failed {
		t.Fatalf("fail over of priority after health not flagged beyond the threshold: %+v", failover)
	}
	if len(d.Changes) == 0 || d.Changes[0].What != "verdict" || !d.Changes[0].Worse {
		t.Errorf("the verdict change pass -> fail is not the first change: %+v", d.Changes)
	}
	// The other way round nothing about fail over regresses.
	for _, r := range reports.Diff(slow, fast, th).Rows {
		if r.Metric == "fail over" && r.Regressed {
			t.Errorf("health after priority: fail over flagged: %+v", r)
		}
	}
	// The same report against itself: no regression.
	if d := reports.Diff(fast, fast, th); d.Regressed != 0 || d.Failed || len(d.Changes) != 0 {
		t.Errorf("a report against itself: %d regressions, changes %+v", d.Regressed, d.Changes)
	}
}
