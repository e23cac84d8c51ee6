package replay

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Outcome classes of an attempt's status in history.
var (
	successStatuses = []string{"charged", "authorized", "partial_charged", "succeeded", "success", "paid", "captured", "completed"}
	failureStatuses = []string{"failure", "failed", "authorization_failed", "authentication_failed", "router_declined", "declined", "capture_failed"}
)

// classOf sorts a status into success, failure or other (pending,
// expired, voided...: the buyer did not complete).
func classOf(status string) int {
	s := strings.ToLower(status)
	switch {
	case slices.Contains(successStatuses, s):
		return 0
	case slices.Contains(failureStatuses, s):
		return 1
	}
	return 2
}

// Calibration is provider behaviour estimated from history.
type Calibration struct {
	File       string
	Rows       int64
	First      int64 // unix ns
	Last       int64
	Providers  []*ProviderStats // sorted by name
	hasCode    bool
	hasLatency bool
	hasDone    bool
}

// ProviderStats is one provider's history.
type ProviderStats struct {
	Name                    string
	Attempts                int64
	Success, Failure, Other int64
	Codes                   map[string]int64
	Latency, Delay          histogram
	Hours                   map[int64]*HourStats // by unix hour
}

// HourStats is one provider's history over one hour (UTC).
type HourStats struct {
	Attempts, Success, Failure int64
}

// Calibrate reads every row of r (the mapping needs time, amount,
// provider and outcome; code, latency and completed are used when
// mapped) and estimates each provider's behaviour. Memory grows with the
// providers and the hours the file spans, not with its rows.
func Calibrate(r *Reader) (*Calibration, error) {
	m := &r.opt.Mapping
	for _, f := range []Field{Provider, Outcome} {
		if m.Columns[f] == "" {
			return nil, fmt.Errorf("%s: calibrate needs a %s column in the mapping", r.path, f)
		}
	}
	c := &Calibration{File: r.path, hasCode: m.Columns[Code] != "", hasLatency: m.Columns[Latency] != "", hasDone: m.Columns[Completed] != ""}
	byName := map[string]*ProviderStats{}
	var row Row
	for r.Next(&row) {
		if row.Provider == "" {
			r.reject(r.rowErr(r.lineOf(), Provider, "empty provider"))
			continue
		}
		c.Rows++
		if c.Rows == 1 || row.At < c.First {
			c.First = row.At
		}
		c.Last = max(c.Last, row.At)
		p := byName[row.Provider]
		if p == nil {
			p = &ProviderStats{Name: row.Provider, Codes: map[string]int64{}, Hours: map[int64]*HourStats{}}
			byName[row.Provider] = p
		}
		p.Attempts++
		hour := floorDiv(row.At, int64(time.Hour))
		h := p.Hours[hour]
		if h == nil {
			h = &HourStats{}
			p.Hours[hour] = h
		}
		h.Attempts++
		switch classOf(row.Outcome) {
		case 0:
			p.Success++
			h.Success++
			if row.HasCompleted && row.Completed >= row.At {
				p.Delay.add(time.Duration(row.Completed - row.At))
			}
		case 1:
			p.Failure++
			h.Failure++
			if row.Code != "" {
				p.Codes[row.Code]++
			}
		default:
			p.Other++
		}
		if row.HasLatency {
			p.Latency.add(row.Latency)
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	for _, p := range byName {
		c.Providers = append(c.Providers, p)
	}
	slices.SortFunc(c.Providers, func(a, b *ProviderStats) int { return strings.Compare(a.Name, b.Name) })
	return c, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// WriteYAML writes the providers block a scenario can include, with each
// provider's hourly history as comments.
func (c *Calibration) WriteYAML(w io.Writer) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "# paydrill calibrate %s: %d attempts, %d providers, %s to %s\n", c.File, c.Rows, len(c.Providers),
		fmtHour(c.First), fmtHour(c.Last))
	fmt.Fprintf(b, "# success: %s; failure: %s; any other status: not completed.\n",
		strings.Join(successStatuses, ", "), strings.Join(failureStatuses, ", "))
	b.WriteString("# decline_rate: failures per attempt. Review flow, methods and fees: history does not tell them.\n")
	b.WriteString("providers:\n")
	for _, p := range c.Providers {
		fmt.Fprintf(b, "  - name: %s\n", yamlString(p.Name))
		fmt.Fprintf(b, "    # %d attempts: success %.1f%%, failure %.1f%%, not completed %.1f%%\n", p.Attempts,
			pct(p.Success, p.Attempts), pct(p.Failure, p.Attempts), pct(p.Other, p.Attempts))
		fmt.Fprintf(b, "    decline_rate: %s\n", num(ratio(p.Failure, p.Attempts)))
		if c.hasCode {
			c.writeCodes(b, p)
		}
		if c.hasLatency && p.Latency.n > 0 {
			fmt.Fprintf(b, "    latency: {median: %s, p99: %s}\n", dur(p.Latency.quantile(0.5)), dur(p.Latency.quantile(0.99)))
		}
		if c.hasDone && p.Delay.n > 0 {
			fmt.Fprintf(b, "    completion: {rate: %s, delay: {median: %s, p99: %s}}\n", num(ratio(p.Success, p.Success+p.Other)),
				dur(p.Delay.quantile(0.5)), dur(p.Delay.quantile(0.99)))
		}
		b.WriteString("    # per hour (UTC)  attempts  success  failure\n")
		hours := make([]int64, 0, len(p.Hours))
		for h := range p.Hours {
			hours = append(hours, h)
		}
		slices.Sort(hours)
		for _, h := range hours {
			s := p.Hours[h]
			fmt.Fprintf(b, "    # %s  %8d  %6.1f%%  %6.1f%%\n", fmtHour(h*int64(time.Hour)), s.Attempts,
				pct(s.Success, s.Attempts), pct(s.Failure, s.Attempts))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCodes writes the decline mix over the codes paydrill knows; the
// others are named in a comment.
func (c *Calibration) writeCodes(b *strings.Builder, p *ProviderStats) {
	var known, other []string
	var total int64
	for code, n := range p.Codes {
		if payment.KnownCode(code) {
			known = append(known, code)
			total += n
		} else {
			other = append(other, code)
		}
	}
	slices.Sort(known)
	slices.Sort(other)
	if len(known) > 0 {
		parts := make([]string, len(known))
		for i, k := range known {
			parts[i] = fmt.Sprintf("%s: %s", k, num(ratio(p.Codes[k], total)))
		}
		fmt.Fprintf(b, "    decline_codes: {%s}\n", strings.Join(parts, ", "))
	}
	if len(other) > 0 {
		parts := make([]string, len(other))
		for i, k := range other {
			parts[i] = fmt.Sprintf("%s %d", k, p.Codes[k])
		}
		fmt.Fprintf(b, "    # codes paydrill does not know (left out of decline_codes): %s\n", strings.Join(parts, ", "))
	}
}

func fmtHour(ns int64) string { return time.Unix(0, ns).UTC().Format("2006-01-02T15") }

func pct(a, b int64) float64 { return 100 * ratio(a, b) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func num(v float64) string { return fmt.Sprintf("%.4g", math.Round(v*1e4)/1e4) }

// dur rounds to the millisecond under 10s, to 10ms above.
func dur(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// yamlString quotes s unless it is a plain word.
func yamlString(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" || strings.ContainsAny(s[:1], "-.0123456789") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// histogram counts durations in logarithmic buckets 2% wide from 1µs,
// in constant memory.
type histogram struct {
	n      int64
	counts [1200]int64
}

const histBase = 1.02

func (h *histogram) add(d time.Duration) {
	i := 0
	if us := float64(d) / float64(time.Microsecond); us > 1 {
		i = min(int(math.Log(us)/math.Log(histBase))+1, len(h.counts)-1)
	}
	h.counts[i]++
	h.n++
}

// quantile returns the q-quantile (the upper bound of its bucket's middle).
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	target := int64(math.Ceil(q * float64(h.n)))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= target && c > 0 {
			if i == 0 {
				return time.Microsecond
			}
			us := math.Pow(histBase, float64(i)-0.5)
			return time.Duration(us * float64(time.Microsecond))
		}
	}
	return 0
}
