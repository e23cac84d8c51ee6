// Package hostile is the hostile-input campaign of issue 13: a corpus of
// malformed scenario and replay files, fed to `paydrill validate` and
// `paydrill run` (virtual time) as separate processes, each judged on its
// exit code, whether its error names a place in a file, panics, wall time
// and peak memory (`make hostile`, docs/limits.md).
package hostile

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Input is one entry of the corpus: the files of one drill directory and
// the scenario file given to paydrill.
type Input struct {
	Name     string             // group/file, unique in the corpus
	Scenario string             // the file given to validate and run
	Files    map[string]Content // written into the input's own directory
	// Accepted marks the inputs validate is meant to accept (a byte order
	// mark, a merge key, a YAML tag): run must then survive them.
	Accepted bool
}

// Limits are the rules every process of the campaign is held to.
type Limits struct {
	Wall time.Duration // wall time of one process
	RSS  int64         // peak resident memory of one process, bytes
	// Kill is when a process that has not exited is killed (0: six
	// times Wall); it has broken the rules by then.
	Kill time.Duration
}

// Issue13 are the limits of issue 13's "Done when": no run over 10 s, no
// process over 1 GB.
var Issue13 = Limits{Wall: 10 * time.Second, RSS: 1 << 30}

// The exit codes of paydrill (docs/limits.md#exit-codes) the rules name.
const (
	exitUsage    = 2  // invalid input
	exitAborted  = 3  // the run could not be carried out
	exitInternal = 70 // a recovered panic
	exitKilled   = -1 // killed at the campaign's deadline (or by a signal)
)

// Result is what one paydrill process did with one input.
type Result struct {
	Command string // validate or run
	Code    int    // exit code, exitKilled when it did not exit by itself
	Wall    time.Duration
	RSS     int64  // peak resident memory, bytes; -1 where it cannot be measured
	Stderr  string // at most stderrCap bytes
}

// Judge returns the rules r breaks: every process exits by itself within
// the limits and without a panic; a malformed input exits 2 (bad input)
// with a message naming one of its files and a line; an accepted input
// passes validate and run survives it (exit 0, 1, 4 or 5).
func Judge(in Input, r Result, lim Limits) []string {
	var b []string
	add := func(format string, args ...any) { b = append(b, fmt.Sprintf(format, args...)) }
	switch {
	case r.Code == exitKilled:
		add("killed after %s (did not exit by itself)", r.Wall.Round(time.Millisecond))
	case r.Code == exitInternal:
		add("internal error (exit 70)")
	}
	if panicked(r.Stderr) {
		add("panic trace in stderr")
	}
	if r.Wall > lim.Wall {
		add("took %s; the limit is %s", r.Wall.Round(time.Millisecond), lim.Wall)
	}
	if r.RSS > lim.RSS {
		add("peak RSS %s; the limit is %s", mib(r.RSS), mib(lim.RSS))
	}
	if r.Code == exitKilled || r.Code == exitInternal {
		return b
	}
	switch {
	case !in.Accepted && r.Code != exitUsage:
		add("exit %d; want %d (bad input)", r.Code, exitUsage)
	case !in.Accepted && !Located(r.Stderr, in):
		add("stderr names no FILE:LINE of %s", strings.Join(fileNames(in), ", "))
	case in.Accepted && r.Command == "validate" && r.Code != 0:
		add("validate refused an input the corpus lists as accepted (exit %d)", r.Code)
	case in.Accepted && r.Command == "run" && (r.Code == exitUsage || r.Code == exitAborted):
		add("run did not survive what validate accepted (exit %d)", r.Code)
	}
	return b
}

// panicked reports a Go panic or fatal error trace.
func panicked(stderr string) bool {
	return strings.Contains(stderr, "panic:") || strings.Contains(stderr, "fatal error:") ||
		strings.Contains(stderr, "goroutine ") && strings.Contains(stderr, "[running]")
}

// Located reports whether stderr names one of the input's files with a
// line (or a row's line): "drill.yaml:4:18:", "orders.csv:3: row 2".
func Located(stderr string, in Input) bool {
	for _, name := range fileNames(in) {
		re := regexp.MustCompile(`(^|[\s/"'(])` + regexp.QuoteMeta(name) + `:[0-9]+`)
		if re.MatchString(stderr) {
			return true
		}
	}
	return false
}

func fileNames(in Input) []string {
	names := []string{in.Scenario}
	for _, name := range sortedNames(in.Files) {
		if name != in.Scenario {
			names = append(names, name)
		}
	}
	return names
}

// mib writes a byte count in MiB.
func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
