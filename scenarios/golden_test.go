//go:build !race

package scenarios_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/golden"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// goldenSeeds are the seeds whose reports are pinned: 0 is each drill's
// own seed (the one `paydrill run` uses), the others two more draws.
var goldenSeeds = []uint64{0, 1, 2}

// TestReportsGolden pins the whole JSON report of every library drill with
// the default router for a few seeds, byte for byte, without the engine
// block (wall time and speed-up vary by run). It guards the engine's speed
// work (data layout, event queue, draws): a faster engine must give the
// same reports. A change that alters figures on purpose (a new measure, a
// router change) regenerates them with
//
//	go test ./scenarios -run TestReportsGolden -update
//
// and the diff of testdata/reports/ in the commit shows what moved.
func TestReportsGolden(t *testing.T) {
	var jobs []job
	for _, n := range scenarios.Names() {
		for _, seed := range goldenSeeds {
			jobs = append(jobs, job{n, "", seed})
		}
	}
	got := runAll(t, jobs)
	for _, j := range jobs {
		r := got[j]
		if r == nil {
			continue
		}
		r.Engine = reports.Engine{}
		var buf bytes.Buffer
		if err := reports.WriteJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%s.seed-%d.json", j.drill, j.seed)
		checkReport(t, filepath.Join("reports", name), buf.Bytes())
	}
}

// checkReport compares a report with its golden file and, when they
// differ, names the first differing line instead of dumping 50 KB.
func checkReport(t *testing.T, name string, got []byte) {
	t.Helper()
	if golden.Updating() {
		golden.Check(t, name, got)
		return
	}
	path := filepath.Join("testdata", name)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v: run go test ./scenarios -run TestReportsGolden -update to create it", err)
		return
	}
	if bytes.Equal(want, got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	line := func(l []string) string {
		if i < len(l) {
			return strings.TrimSpace(l[i])
		}
		return "(end of file)"
	}
	t.Errorf("%s differs from the report the drill gives now, first at line %d:\n  want %s\n  got  %s\n"+
		"A speed change must keep every report byte-identical. If you changed figures on purpose, "+
		"regenerate with: go test ./scenarios -run TestReportsGolden -update (and review git diff scenarios/testdata)",
		path, i+1, line(wl), line(gl))
}
