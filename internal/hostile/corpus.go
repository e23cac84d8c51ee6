package hostile

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The corpus's directories, relative to the repository's root: the
// campaign's own files, and the scenario format's refused test files.
const (
	testdata  = "internal/hostile/testdata"
	formatBad = "internal/scenario/testdata/bad"
)

// Corpus returns every input of the campaign, in a fixed order: the
// committed files under root (scenario files in testdata/bad and
// testdata/good, replay files in testdata/replay-bad and
// testdata/replay-good, each replayed by a scenario of its own, and the
// scenario format's own refused test files), then the inputs too large
// or too binary to commit, generated the same way every time.
func Corpus(root string) ([]Input, error) {
	var all []Input
	for _, d := range []struct {
		dir, group string
		replay     bool
		accepted   bool
	}{
		{formatBad, "format", false, false},
		{testdata + "/bad", "scenario", false, false},
		{testdata + "/replay-bad", "replay", true, false},
		{testdata + "/good", "accepted", false, true},
		{testdata + "/replay-good", "accepted-replay", true, true},
	} {
		entries, err := os.ReadDir(filepath.Join(root, d.dir))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(root, d.dir, e.Name()))
			if err != nil {
				return nil, err
			}
			in := scenarioInput(d.group+"/"+e.Name(), e.Name(), data)
			if d.replay {
				in = replayInput(d.group+"/"+e.Name(), e.Name(), data)
			}
			in.Accepted = d.accepted
			all = append(all, in)
		}
	}
	all = append(all, Generated()...)
	seen := map[string]bool{}
	for _, in := range all {
		if seen[in.Name] {
			return nil, fmt.Errorf("hostile: two inputs named %s", in.Name)
		}
		seen[in.Name] = true
	}
	return all, nil
}

func scenarioInput(name, file string, data []byte) Input {
	return Input{Name: name, Scenario: file, Files: map[string]Content{file: Bytes(data)}}
}

// replayInput pairs a replay file with a scenario that replays it.
func replayInput(name, file string, data []byte) Input {
	return Input{Name: name, Scenario: "drill.yaml", Files: map[string]Content{
		"drill.yaml": Bytes([]byte(replayScenario(file))),
		file:         Bytes(data),
	}}
}

func replayScenario(file string) string {
	return `name: replay
duration: 2m
traffic:
  replay: {file: ` + file + `, start: 2026-01-01T00:00:00Z}
providers:
  - {name: alpha}
expect: {failover_within: "off"}
`
}

// base is a valid scenario the generated inputs break.
const base = `name: hostile
duration: 10m
traffic:
  arrivals: {type: poisson, rate: 1/s}
providers:
`

const csvHeader = "time,amount,currency,product,category,buyer,method,region\n"

// Generated returns the inputs too large or too binary to commit:
// nesting bombs, files over the size ceiling, tens of thousands of
// providers, alias bombs and random bytes (from a fixed seed). Large
// files are written piece by piece, never held whole.
func Generated() []Input {
	rng := rand.New(rand.NewPCG(13, 13))
	garbage := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return string(b)
	}
	providers := func(n int, line func(i int) string) Content {
		return func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			bw.WriteString(base)
			for i := range n {
				bw.WriteString(line(i))
			}
			return bw.Flush()
		}
	}
	scen := func(name string, c Content) Input {
		return Input{Name: "generated/" + name + ".yaml", Scenario: name + ".yaml", Files: map[string]Content{name + ".yaml": c}}
	}
	replay := func(name string, c Content) Input {
		in := replayInput("generated-replay/"+name, name, nil)
		in.Files[name] = c
		return in
	}
	aliases := func(n int) Content {
		return cat(strings.TrimSuffix(base, "providers:\n")+"providers: [&p {name: alpha}", rep(", *p", n), "]\n")
	}
	const row = "2026-01-01T00:00:01Z,1999,USD,1,toys,1,card,EU\n"
	longField := replay("field-2mib.csv", cat(csvHeader+"2026-01-01T00:00:01Z,1999,USD,1,", rep("t", 2<<20), ",1,card,EU\n"))
	longField.Accepted = true // a long category is read, and the run survives it
	return []Input{
		// nesting past the YAML parser's comfort: its memory grows with
		// the square of the depth
		scen("depth-brackets-100k", cat("name: ", rep("[", 100_000))),
		scen("depth-closed-brackets-33", cat("name: ", rep("[", 33), "x", rep("]", 33), "\n")),
		scen("depth-flow-maps-1k", cat("a: ", rep("{a: ", 1000), "1", rep("}", 1000), "\n")),
		scen("depth-block-sequences-50", cat("name: x\nlist:\n", rep("- ", 50), "x\n")),
		scen("depth-indented-maps-40", cat(indentedMaps(40))),
		scen("depth-in-provider", cat(base+"  - name: alpha\n    latency: ", rep("[", 5000), "\n")),
		// sizes
		scen("size-just-over", cat(base+"  - name: alpha\ndescription: ", rep("x", 256<<10), "\n")),
		scen("size-10mib-line", cat("name: ", rep("x", 10<<20), "\n")),
		scen("size-comments-300kib", cat(rep("# comment\n", 30_000), base+"  - name: alpha\n")),
		scen("size-key-200kib", cat(base+"  - name: alpha\n", rep("k", 200<<10), ": 1\n")),
		// providers: the pairwise checks once took 32 s for 60,000
		scen("providers-60k", providers(60_000, func(i int) string { return fmt.Sprintf("  - name: p%d\n", i) })),
		scen("providers-14k-fit", providers(14_000, func(i int) string { return fmt.Sprintf("- {name: p%d}\n", i) })),
		scen("providers-20k-same-name", providers(20_000, func(int) string { return "- {name: a}\n" })),
		scen("providers-24k-aliases", aliases(24_000)),
		scen("providers-65", providers(65, func(i int) string { return fmt.Sprintf("  - name: p%d\n", i) })),
		// aliases
		scen("alias-billion-laughs", cat(billionLaughs())),
		scen("alias-60k-expanding", aliases(60_000)),
		// bytes
		scen("binary-4kib", cat(garbage(4<<10))),
		scen("binary-nul-64kib", cat(rep("\x00", 64<<10))),
		scen("binary-gzip", cat("\x1f\x8b\x08\x00", garbage(1<<10))),
		scen("binary-after-valid", cat(base+"  - name: alpha\n", garbage(512))),
		// replay files
		replay("binary.csv", cat(garbage(8<<10))),
		replay("binary.jsonl", cat(garbage(8<<10))),
		replay("binary-after-header.csv", cat(csvHeader, garbage(4<<10))),
		longField,
		replay("line-12mib.jsonl", cat(`{"time":"2026-01-01T00:00:01Z","amount":1999,"pad":"`, rep("x", 12<<20), "\"}\n")),
		replay("depth-100k.jsonl", cat(rep("[", 100_000), "\n")),
		replay("nested-value.jsonl", cat(`{"time":"2026-01-01T00:00:01Z","amount":`, rep("[", 10_000), rep("]", 10_000), "}\n")),
		replay("columns-100k.csv", cat(strings.TrimSuffix(csvHeader, "\n"), rep(",x", 100_000), "\n"+row)),
		replay("rows-100k-then-bad.csv", goodRowsThenBad(100_000)),
	}
}

// Content writes one file of an input.
type Content func(w io.Writer) error

// Bytes is a file of these bytes.
func Bytes(b []byte) Content {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// repeated is a piece of a generated file: s, n times.
type repeated struct {
	s string
	n int
}

func rep(s string, n int) repeated { return repeated{s, n} }

// cat is a file of pieces: strings, and repeated strings written one at a
// time, so that a 12 MiB file never sits in the campaign's memory (Linux
// counts the parent's peak memory into the peak RSS of the paydrill it
// starts; docs/limits.md#the-hostile-input-campaign).
func cat(pieces ...any) Content {
	return func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, p := range pieces {
			switch p := p.(type) {
			case string:
				bw.WriteString(p)
			case repeated:
				for range p.n {
					bw.WriteString(p.s)
				}
			}
		}
		return bw.Flush()
	}
}

// indentedMaps nests n block mappings by indentation.
func indentedMaps(n int) string {
	var b strings.Builder
	b.WriteString(base + "  - name: alpha\nx:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%sk:\n", strings.Repeat(" ", 2*i))
	}
	return b.String()
}

// billionLaughs: six levels of ten aliases, a million values expanded.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for i, l := range "bcdef" {
		prev := string(rune('a' + i))
		fmt.Fprintf(&b, "%c: &%c [%s]\n", l, l, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", "))
	}
	return b.String()
}

// goodRowsThenBad is n orders a millisecond apart, then one row with an
// amount over the ceiling: the bad row comes after everything was read.
func goodRowsThenBad(n int) Content {
	return func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(csvHeader)
		for i := range n {
			fmt.Fprintf(bw, "%d.%03d,1999,USD,1,toys,%d,card,EU\n", 1767225600+i/1000, i%1000, i%50)
		}
		fmt.Fprintf(bw, "%d,9223372036854775807,USD,1,toys,1,card,EU\n", 1767225600+n/1000+1)
		return bw.Flush()
	}
}

// sortedNames returns the names of files, sorted.
func sortedNames(files map[string]Content) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
