package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// Duration is a time.Duration written as Go writes durations ("90s",
// "1h30m"); a bare 0 is allowed.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// ParseDuration reads a duration such as "90s", "10m", "1h30m" or "0".
// Negative durations are refused.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (write it like 90s, 10m or 1h30m)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q is negative", s)
	}
	return Duration(d), nil
}

// Rate is a number of events per second, written "20/s", "3/min", "100/h"
// or "0".
type Rate float64

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 { return float64(r) }

// String writes the rate in the largest unit that keeps it at least 1.
func (r Rate) String() string {
	v := float64(r)
	switch {
	case v == 0:
		return "0/s"
	case v >= 1:
		return strconv.FormatFloat(v, 'f', -1, 64) + "/s"
	case v*60 >= 1:
		return strconv.FormatFloat(v*60, 'f', -1, 64) + "/min"
	default:
		return strconv.FormatFloat(v*3600, 'f', -1, 64) + "/h"
	}
}

// ParseRate reads a rate such as "20/s", "3/min", "100/h" or "0".
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("%q is not a rate (write it like 20/s, 3/min or 100/h)", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a rate: %q is not a finite number", s, num)
	}
	if v < 0 {
		return 0, fmt.Errorf("rate %q is negative", s)
	}
	var per float64
	switch strings.TrimSpace(unit) {
	case "s", "sec", "second":
		per = 1
	case "m", "min", "minute":
		per = 60
	case "h", "hour":
		per = 3600
	default:
		return 0, fmt.Errorf("rate %q: unit %q is not one of s, min, h", s, unit)
	}
	return Rate(v / per), nil
}

// Limit is an expectation on a time: a duration, or "off" to not judge it.
type Limit struct {
	Off bool
	D   time.Duration
}

func (l Limit) String() string {
	if l.Off {
		return "off"
	}
	return l.D.String()
}

// ParseLimit reads a duration or "off".
func ParseLimit(s string) (Limit, error) {
	if strings.TrimSpace(s) == "off" {
		return Limit{Off: true}, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return Limit{}, fmt.Errorf("%q is neither a duration nor off (write it like 10m, or off)", strings.TrimSpace(s))
	}
	return Limit{D: d.D()}, nil
}

// Decoding and encoding. The YAML decoder hands the node itself so a value
// written as a bare number (0) reads the same as a string; the shape check
// in Parse has already reported bad values with their positions, so these
// errors only reach callers who decode on their own.

// UnmarshalYAML reads a duration from a YAML scalar.
func (d *Duration) UnmarshalYAML(n ast.Node) error {
	s, err := unitText(n, "duration")
	if err != nil {
		return err
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes the duration as Go does (1h30m0s), which ParseDuration reads back.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.short()), nil }

// short writes the duration without zero trailing units: 40m, 1h30m, 90s.
func (d Duration) short() string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// UnmarshalText reads a duration (JSON and other text decoders).
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalYAML reads a rate from a YAML scalar.
func (r *Rate) UnmarshalYAML(n ast.Node) error {
	s, err := unitText(n, "rate")
	if err != nil {
		return err
	}
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText writes the rate in the shortest of /s, /min and /h that
// shows a number of at least 1 and reads back exactly (20/s, 3/min,
// 100/h), else per second.
func (r Rate) MarshalText() ([]byte, error) {
	v := float64(r)
	if v == 0 {
		return []byte("0"), nil
	}
	best := strconv.FormatFloat(v, 'f', -1, 64) + "/s"
	found := false
	for _, u := range []struct {
		name string
		per  float64
	}{{"s", 1}, {"min", 60}, {"h", 3600}} {
		if v*u.per < 1 {
			continue
		}
		text := strconv.FormatFloat(v*u.per, 'f', -1, 64) + "/" + u.name
		if back, err := ParseRate(text); err != nil || float64(back) != v {
			continue
		}
		if !found || len(text) < len(best) {
			best, found = text, true
		}
	}
	return []byte(best), nil
}

// UnmarshalText reads a rate (JSON and other text decoders).
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// UnmarshalYAML reads a limit from a YAML scalar.
func (l *Limit) UnmarshalYAML(n ast.Node) error {
	s, err := unitText(n, "duration or off")
	if err != nil {
		return err
	}
	v, err := ParseLimit(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// MarshalText writes "off" or the duration.
func (l Limit) MarshalText() ([]byte, error) {
	if l.Off {
		return []byte("off"), nil
	}
	return Duration(l.D).MarshalText()
}

// UnmarshalText reads a limit (JSON and other text decoders).
func (l *Limit) UnmarshalText(b []byte) error {
	v, err := ParseLimit(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// unitText returns the text of a scalar node holding a value with a unit.
func unitText(n ast.Node, what string) (string, error) {
	if _, null := unwrap(n).(*ast.NullNode); null {
		return "0", nil
	}
	s, ok := scalarText(n)
	if !ok {
		return "", fmt.Errorf("expected a %s, got %s", what, describe(unwrap(n)))
	}
	return s, nil
}
