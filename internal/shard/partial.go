package shard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/paydrill/paydrill/reports"
)

// Format names the partial file format; a change that an older merge
// could misread takes a new version.
const Format = "paydrill.partial/v1"

// marker starts every partial: a partial is one line of JSON, so that it
// can be picked out of a pod's log among progress and warning lines.
const marker = `{"format":"paydrill.partial/`

// Kinds of work.
const (
	KindSeeds   = "seeds"   // run --seeds: items are seeds
	KindSweep   = "sweep"   // sweep: items are cells × seeds
	KindCompare = "compare" // compare: items are routers
)

// Partial is one shard's result: the whole job's identity, which items of
// it the shard ran, and their figures.
type Partial struct {
	Format string `json:"format"`
	Kind   string `json:"kind"`
	// Version is the paydrill that ran the shard: every shard of a merge
	// must come from the same one, whose engine made the figures.
	Version string `json:"version"`
	Job     Job    `json:"job"`
	Shard   int    `json:"shard"`
	Shards  int    `json:"shards"`
	// Items are the indices, in the job's work list, this shard ran.
	Items []int `json:"items"`
	// Interrupted: the shard did not run all its items.
	Interrupted bool `json:"interrupted,omitempty"`

	// Seeds is a run --seeds shard's summary; its PerSeed rows are what
	// merges.
	Seeds *reports.Seeds `json:"seeds,omitempty"`
	// Runs are a sweep shard's times, one per item; Faults the sweep's.
	Runs   []Run   `json:"runs,omitempty"`
	Faults []Fault `json:"faults,omitempty"`
	// Reports are a compare shard's reports, one per item (router).
	Reports []*reports.Report `json:"reports,omitempty"`

	// Source is where the partial was read from (for messages).
	Source string `json:"-"`
}

// Job is what every shard of one job shares: same scenario, same work
// list, same choices.
type Job struct {
	Scenario string `json:"scenario"`
	File     string `json:"file"`
	// SHA256 is the hash of the scenario file's bytes.
	SHA256  string   `json:"sha256"`
	Seeds   []uint64 `json:"seeds"`
	Routers []string `json:"routers"`
	// Rates are a sweep's, per second, ascending.
	Rates []float64 `json:"rates_per_s,omitempty"`
	// Target is a sweep's --target (0: each fault's own).
	Target time.Duration `json:"target_ns,omitempty"`
	// Items is the length of the whole work list.
	Items int `json:"items"`
}

// Run is one sweep item's times per fault (nil: never reached), in
// nanoseconds, exactly as measured.
type Run struct {
	Detect   []*time.Duration `json:"detect"`
	Failover []*time.Duration `json:"failover"`
}

// Fault is a swept fault and its fail-over target.
type Fault struct {
	Name   string        `json:"name"`
	Type   string        `json:"type"`
	Target time.Duration `json:"target_ns"`
}

// Write writes p as one line of JSON.
func Write(w io.Writer, p *Partial) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// maxLine bounds a partial's line: a shard of 100,000 seeds fits.
const maxLine = 256 << 20

// Read reads the partials in r, named name in messages: every line that
// holds a partial, from its marker on (so that lines a log collector
// prefixed, such as kubectl logs --prefix, still count), other lines
// passed over. A file holding no partial line is an error.
func Read(name string, r io.Reader) ([]*Partial, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var out []*Partial
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		i := bytes.Index(b, []byte(marker))
		if i < 0 {
			continue
		}
		p, err := decode(b[i:])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		p.Source = fmt.Sprintf("%s:%d", name, line)
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no partial result in it (a line starting %s); was it written by paydrill ... --shard I/N?", name, marker)
	}
	return out, nil
}

func decode(b []byte) (*Partial, error) {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("partial result: %v", err)
	}
	if head.Format != Format {
		return nil, fmt.Errorf("partial result of format %q: this paydrill reads %q (merge with the paydrill that ran the shards)", head.Format, Format)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Partial
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("partial result: %v", err)
	}
	return &p, nil
}

// ErrMerge marks a set of partials that do not make one whole job.
var ErrMerge = errors.New("cannot merge")

// Check verifies that parts are every shard of one job, each once, and
// returns them in shard order. Its errors wrap ErrMerge and say why:
// a missing shard, a duplicate, an interrupted shard, or shards of
// different kinds, versions, scenarios, seeds or choices.
func Check(parts []*Partial) ([]*Partial, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: no partial results", ErrMerge)
	}
	first := parts[0]
	for _, p := range parts[1:] {
		if err := same(first, p); err != nil {
			return nil, err
		}
	}
	// A shard that was interrupted (a pod evicted) and run again leaves
	// both results in the log: the complete one stands for it.
	complete := map[int]bool{}
	for _, p := range parts {
		if !p.Interrupted {
			complete[p.Shard] = true
		}
	}
	byShard := make([]*Partial, first.Shards)
	for _, p := range parts {
		if p.Interrupted && complete[p.Shard] {
			continue
		}
		if p.Shard < 0 || p.Shard >= p.Shards {
			return nil, fmt.Errorf("%w: %s: shard %d of %d is out of range", ErrMerge, p.Source, p.Shard, p.Shards)
		}
		if q := byShard[p.Shard]; q != nil {
			return nil, fmt.Errorf("%w: shard %d/%d given twice (%s and %s)", ErrMerge, p.Shard, p.Shards, q.Source, p.Source)
		}
		byShard[p.Shard] = p
		want := Spec{p.Shard, p.Shards}.Items(p.Job.Items)
		if !slices.Equal(p.Items, want) {
			return nil, fmt.Errorf("%w: %s: shard %d/%d holds items %v, not the shard's own", ErrMerge, p.Source, p.Shard, p.Shards, short(p.Items))
		}
		if p.Interrupted {
			return nil, fmt.Errorf("%w: %s: shard %d/%d was interrupted before it ran all its items; run it again", ErrMerge, p.Source, p.Shard, p.Shards)
		}
	}
	var missing []string
	for i, p := range byShard {
		if p == nil {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing shard %s of %d (have %d of %d shards)", ErrMerge, strings.Join(missing, ", "), first.Shards, len(parts), first.Shards)
	}
	return byShard, nil
}

// same says how b differs from a, if it does in anything the whole
// depends on.
func same(a, b *Partial) error {
	diff := func(what string, x, y any) error {
		return fmt.Errorf("%w: %s has %s %v, %s has %v: shards of different jobs", ErrMerge, b.Source, what, y, a.Source, x)
	}
	switch {
	case a.Kind != b.Kind:
		return diff("kind", a.Kind, b.Kind)
	case a.Version != b.Version:
		return diff("paydrill version", a.Version, b.Version)
	case a.Shards != b.Shards:
		return diff("shard count", a.Shards, b.Shards)
	case !reflect.DeepEqual(a.Faults, b.Faults):
		return diff("faults", a.Faults, b.Faults)
	}
	ja, jb := reflect.ValueOf(a.Job), reflect.ValueOf(b.Job)
	for i := range ja.NumField() {
		if !reflect.DeepEqual(ja.Field(i).Interface(), jb.Field(i).Interface()) {
			name := strings.Split(ja.Type().Field(i).Tag.Get("json"), ",")[0]
			x, y := ja.Field(i).Interface(), jb.Field(i).Interface()
			if s, ok := x.([]uint64); ok {
				x, y = seedRange(s), seedRange(y.([]uint64))
			}
			return diff(name, x, y)
		}
	}
	return nil
}

// seedRange writes a seed list shortly: "1..400" when consecutive.
func seedRange(s []uint64) string {
	if len(s) == 0 {
		return "none"
	}
	consecutive := true
	for i := range s[1:] {
		if s[i+1] != s[i]+1 {
			consecutive = false
		}
	}
	if consecutive {
		return fmt.Sprintf("%d..%d", s[0], s[len(s)-1])
	}
	return fmt.Sprint(short(s))
}

func short[T any](v []T) []T {
	if len(v) > 8 {
		return v[:8]
	}
	return v
}
