package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/replay"
)

// Replay takes a run's orders from a file of real or recorded traffic
// instead of the synthetic arrivals. The buyer population, regions,
// methods and catalog of traffic then only set defaults: every order
// comes from the file.
type Replay struct {
	// File is the path of the traffic file, relative to the scenario
	// file's directory (Parse makes it relative to the working directory).
	File string `yaml:"file" json:"file" jsonschema:"required" jsonschema_description:"Traffic file: CSV with a header row or JSON Lines; a relative path is from the scenario file"`
	// Format: csv or jsonl; default from the extension (.csv, .jsonl, .ndjson).
	Format string `yaml:"format,omitempty" json:"format,omitempty" jsonschema:"enum=csv,enum=jsonl" jsonschema_description:"csv or jsonl; default from the file's extension (.csv, .jsonl, .ndjson)"`
	// Speed compresses time: 10 replays ten times faster (default 1).
	Speed float64 `yaml:"speed,omitempty" json:"speed,omitempty" jsonschema_description:"Time compression: 10 replays ten times faster (default 1)"`
	// Loop starts the file over at its end, shifted by its span, until
	// the scenario's duration.
	Loop bool `yaml:"loop,omitempty" json:"loop,omitempty" jsonschema_description:"Start the file over at its end until the duration is reached"`
	// Partial replays only the orders before the duration when the file
	// holds more; without it such a scenario is refused, so a run never
	// reads part of a file unsaid.
	Partial bool `yaml:"partial,omitempty" json:"partial,omitempty" jsonschema_description:"Replay only the orders before duration when the file holds more (without it, such a scenario is refused)"`
	// Unroutable says what becomes of orders whose payment method no
	// provider takes: refuse (default) makes them a validation error;
	// report runs them (each fails without an attempt) and every report
	// counts them in a warning.
	Unroutable string `yaml:"unroutable,omitempty" json:"unroutable,omitempty" jsonschema:"enum=refuse,enum=report" jsonschema_description:"Orders whose method no provider takes: refuse (default: a validation error) or report (run them; every report counts them in a warning)"`
	// Start is the time (RFC 3339) that is the run's 0 (default: the
	// first row's time).
	Start string `yaml:"start,omitempty" json:"start,omitempty" jsonschema_description:"RFC 3339 time that is the run's start (default: the first row's time)"`
	// MaxBadRows is how many bad rows are reported and passed over before
	// the run stops (default 0: stop at the first).
	MaxBadRows int           `yaml:"max_bad_rows,omitempty" json:"max_bad_rows,omitempty" jsonschema_description:"Bad rows reported and passed over before the run stops (default 0: stop at the first)"`
	Mapping    ReplayMapping `yaml:"mapping,omitempty" json:"mapping,omitempty" jsonschema_description:"Which column holds each field: a preset, the amount unit, and columns that replace the preset's"`
}

// ReplayMapping names the column of each field. Preset gives the
// starting point (paydrill: the columns 'paydrill record' writes;
// orchestrator: the payment-attempt export of open-source payment
// orchestrators); a column set here replaces the preset's.
type ReplayMapping struct {
	Preset     string `yaml:"preset,omitempty" json:"preset,omitempty" jsonschema:"enum=paydrill,enum=orchestrator" jsonschema_description:"Built-in mapping to start from (default paydrill)"`
	AmountUnit string `yaml:"amount_unit,omitempty" json:"amount_unit,omitempty" jsonschema:"enum=minor,enum=major" jsonschema_description:"Amounts in integer minor units (default) or decimal major units"`
	Time       string `yaml:"time,omitempty" json:"time,omitempty" jsonschema_description:"Column of the order's time (RFC 3339 or unix seconds)"`
	Amount     string `yaml:"amount,omitempty" json:"amount,omitempty" jsonschema_description:"Column of the amount (required)"`
	Currency   string `yaml:"currency,omitempty" json:"currency,omitempty" jsonschema_description:"Column of the ISO 4217 currency (default: the catalog's)"`
	Product    string `yaml:"product,omitempty" json:"product,omitempty" jsonschema_description:"Column of the product, for faults' match"`
	Category   string `yaml:"category,omitempty" json:"category,omitempty" jsonschema_description:"Column of the product category, for faults' match (missing: unknown)"`
	Buyer      string `yaml:"buyer,omitempty" json:"buyer,omitempty" jsonschema_description:"Column of the buyer id"`
	Method     string `yaml:"method,omitempty" json:"method,omitempty" jsonschema_description:"Column of the payment method (missing: card)"`
	Region     string `yaml:"region,omitempty" json:"region,omitempty" jsonschema_description:"Column of the buyer's region, for faults' match (missing: unknown)"`
	Intent     string `yaml:"intent,omitempty" json:"intent,omitempty" jsonschema_description:"Column of the payment id: only the first attempt of each becomes an order"`
	Provider   string `yaml:"provider,omitempty" json:"provider,omitempty" jsonschema_description:"Column of the provider an attempt went to (history, read by calibrate)"`
	Outcome    string `yaml:"outcome,omitempty" json:"outcome,omitempty" jsonschema_description:"Column of an attempt's outcome (history, read by calibrate)"`
	Code       string `yaml:"code,omitempty" json:"code,omitempty" jsonschema_description:"Column of an attempt's decline code (history, read by calibrate)"`
	Latency    string `yaml:"latency,omitempty" json:"latency,omitempty" jsonschema_description:"Column of the create call's latency in milliseconds"`
	Completed  string `yaml:"completed,omitempty" json:"completed,omitempty" jsonschema_description:"Column of the time an async payment was completed (history, read by calibrate)"`
}

// columns returns the mapping's own columns by replay field.
func (m *ReplayMapping) columns() map[replay.Field]*string {
	return map[replay.Field]*string{
		replay.Time: &m.Time, replay.Amount: &m.Amount, replay.Currency: &m.Currency,
		replay.Product: &m.Product, replay.Category: &m.Category, replay.Buyer: &m.Buyer,
		replay.Method: &m.Method, replay.Region: &m.Region, replay.Intent: &m.Intent,
		replay.Provider: &m.Provider, replay.Outcome: &m.Outcome, replay.Code: &m.Code,
		replay.Latency: &m.Latency, replay.Completed: &m.Completed,
	}
}

// Resolve is the mapping the reader uses: the preset with this mapping's
// columns over it.
func (m *ReplayMapping) Resolve() (replay.Mapping, error) {
	out, ok := replay.Preset(m.Preset)
	if !ok {
		return out, fmt.Errorf("%q is not a mapping preset (%s)", m.Preset, strings.Join(replay.Presets(), ", "))
	}
	for f, col := range m.columns() {
		if *col != "" {
			out.Set(f, *col)
		}
	}
	out.MajorUnits = m.AmountUnit == "major"
	return out, nil
}

// StartTime is Start as unix nanoseconds, 0 when unset.
func (r *Replay) StartTime() int64 {
	if r.Start == "" {
		return 0
	}
	t, err := time.Parse(time.RFC3339Nano, r.Start)
	if err != nil {
		return 0
	}
	return t.UnixNano()
}

// SourceOptions are the replay reader's options for this scenario.
func (s *Scenario) SourceOptions() (replay.SourceOptions, error) {
	r := s.Traffic.Replay
	if r == nil {
		return replay.SourceOptions{}, errors.New("the scenario has no traffic.replay")
	}
	m, err := r.Mapping.Resolve()
	if err != nil {
		return replay.SourceOptions{}, err
	}
	return replay.SourceOptions{
		Options: replay.Options{Format: r.Format, Mapping: m, MaxBadRows: r.MaxBadRows, Buyers: s.Traffic.Buyers},
		Start:   r.StartTime(), Speed: r.Speed, Loop: r.Loop, Currency: s.Traffic.Catalog.Currency,
	}, nil
}

// replayRules checks traffic.replay's own fields.
func (v *validator) replay(r *Replay) {
	const path = "traffic.replay"
	if strings.TrimSpace(r.File) == "" {
		v.add(path+".file", "a replay needs a file")
	} else if r.Format == "" && replay.FormatOf(r.File) == "" {
		v.add(path+".file", "cannot tell the format from %q: set format (csv, jsonl)", r.File)
	}
	if r.Format != "" && !slices.Contains(replay.Formats, r.Format) {
		v.add(path+".format", "%q is not a format (csv, jsonl)", r.Format)
	}
	if r.Unroutable != "" && r.Unroutable != "refuse" && r.Unroutable != "report" {
		v.add(path+".unroutable", "%q is not one of refuse, report", r.Unroutable)
	}
	if r.Speed < 0 {
		v.add(path+".speed", "%g is negative", r.Speed)
	}
	v.nonNegative(path+".max_bad_rows", r.MaxBadRows)
	if r.Start != "" {
		if _, err := time.Parse(time.RFC3339Nano, r.Start); err != nil {
			v.add(path+".start", "%q is not an RFC 3339 time (like 2026-01-02T15:04:05Z)", r.Start)
		}
	}
	m := &r.Mapping
	if m.AmountUnit != "" && m.AmountUnit != "minor" && m.AmountUnit != "major" {
		v.add(path+".mapping.amount_unit", "%q is not an amount unit (minor, major)", m.AmountUnit)
	}
	resolved, err := m.Resolve()
	if err != nil {
		v.add(path+".mapping.preset", "%v", err)
		return
	}
	for _, p := range resolved.Check(nil) {
		v.add(path+".mapping."+p.Field.String(), "%s", p.Msg)
	}
}

// checkReplayFile resolves traffic.replay.file against the scenario
// file's directory and checks that it opens and holds every mapped
// column. It returns the problems by field path.
func (s *Scenario) checkReplayFile(name string) Errors {
	r := s.Traffic.Replay
	if r == nil {
		return nil
	}
	if !filepath.IsAbs(r.File) && !strings.HasPrefix(name, "builtin:") {
		r.File = filepath.Join(filepath.Dir(name), r.File)
	}
	const path = "traffic.replay"
	cols, err := replay.Header(r.File, r.Format)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = fmt.Sprintf("no file %s", r.File)
		} else if !strings.Contains(msg, r.File) {
			msg = r.File + ": " + msg
		}
		return Errors{{Path: path + ".file", Msg: msg}}
	}
	m, err := r.Mapping.Resolve()
	if err != nil {
		return nil // reported by Validate
	}
	var errs Errors
	own := r.Mapping.columns()
	for _, p := range m.Check(cols) {
		at := path + ".mapping." + p.Field.String()
		if *own[p.Field] == "" {
			at = path + ".mapping" // the preset's column
			p.Msg = fmt.Sprintf("%s (the %s preset's %s column)", p.Msg, presetName(r.Mapping.Preset), p.Field)
		}
		errs = append(errs, &FieldError{Path: at, Msg: p.Msg})
	}
	return errs
}

func presetName(p string) string {
	if p == "" {
		return "paydrill"
	}
	return p
}
