package validity

import (
	"strings"
	"testing"
	"time"
)

// healthy is a run that kept time at scale 30 with 10 s buckets.
func healthy() Measures {
	return Measures{Scale: 30, Bucket: 10 * time.Second, Arrivals: 10000, Requests: 20000,
		SendLagP99: time.Millisecond, WriteLagP99: 5 * time.Millisecond,
		AnswerLagP99: 2 * time.Millisecond, NoticeLagP99: 10 * time.Millisecond,
		OpenFilesPeak: 500, OpenFilesLimit: 20000, SchedLatencyP99: time.Millisecond, StoppedAt: -1}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Measures)
		valid  bool
		reason string  // a part of the reason
		scale  float64 // suggested
	}{
		{"healthy", func(*Measures) {}, true, "", 0},
		// The docs/sut.md example on a busy machine: 15 s write lag at scale 30.
		{"write lag", func(m *Measures) { m.WriteLagP99 = 15286 * time.Millisecond }, false, "write lag p99 7m38.58s > 2.5s", 0},
		// 40 ms wall at scale 30 is 1.2 s of scenario time: 1 s / 1.2 s × 30 = 25, halved to 15 → 10.
		{"send lag", func(m *Measures) { m.SendLagP99 = 40 * time.Millisecond }, false, "send lag p99 1.2s > 1s", 10},
		{"gave up", func(m *Measures) { m.StoppedAt, m.Behind, m.NotSent = 12*time.Minute, 6*time.Second, 8000 }, false,
			"the load generator stopped at 12m0s, 6s behind", 10},
		{"not sent", func(m *Measures) { m.NotSent = 50 }, false, "arrivals not sent 50 of 10000", 10},
		{"a few not sent within the bound", func(m *Measures) { m.NotSent = 10 }, true, "", 0},
		{"connection errors", func(m *Measures) { m.ConnErrors = 265 }, false, "connection errors 265 of 20000", 10},
		{"late mock answers", func(m *Measures) { m.AnswerLagP99 = 100 * time.Millisecond }, false, "mock answers late p99 3s > 1s", 10},
		{"late notifications", func(m *Measures) { m.NoticeLagP99 = time.Second }, false, "notifications late p99 30s > 2.5s", 2},
		{"open files", func(m *Measures) { m.OpenFilesPeak = 19990 }, false, "open files 19990 of 20000", 10},
		{"cpu starvation", func(m *Measures) { m.SchedLatencyP99 = 50 * time.Millisecond }, false, "waiting for a CPU p99 1.5s > 1s", 10},
		{"not measured is not broken", func(m *Measures) {
			m.AnswerLagP99, m.NoticeLagP99, m.SchedLatencyP99, m.OpenFilesPeak = -1, -1, -1, -1
		}, true, "", 0},
		// At scale 1 a run that fell behind has nothing lower to try.
		{"real time", func(m *Measures) { m.Scale, m.SendLagP99 = 1, 2*time.Second }, false, "send lag", 0},
		// Far behind (scale 600 on 2 cores kept a pace of 61): its queues
		// say nothing of a lower scale; half the pace it kept is the try.
		{"far behind", func(m *Measures) {
			m.Scale, m.Achieved, m.SendLagP99, m.WriteLagP99 = 600, 61, 5*time.Second, 26*time.Second
		}, false, "write lag p99 4h20m", 30},
	}
	for _, tt := range tests {
		m := healthy()
		tt.change(&m)
		h := Judge(m)
		if h.Valid != tt.valid || !strings.Contains(h.Reason, tt.reason) || h.SuggestedTimeScale != tt.scale {
			t.Errorf("%s: valid %v, reason %q, suggested %g; want %v, %q, %g", tt.name, h.Valid, h.Reason, h.SuggestedTimeScale,
				tt.valid, tt.reason, tt.scale)
		}
		if len(h.Checks) != 9 {
			t.Errorf("%s: %d checks, want all 9 listed", tt.name, len(h.Checks))
		}
		line := h.Line()
		if tt.valid != strings.HasPrefix(line, "valid") || !tt.valid && !strings.Contains(line, "time-scale") && tt.scale > 0 {
			t.Errorf("%s: line %q", tt.name, line)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ scale, factor, want float64 }{
		{60, 1.5, 30}, // never the same scale again: at most half
		{60, 0.4, 20},
		{30, 0.01, 0},
		{120, 0.25, 30},
		{2, 0.5, 1},
	}
	for _, tt := range tests {
		if got := Suggest(tt.scale, tt.factor); got != tt.want {
			t.Errorf("Suggest(%g, %g) = %g, want %g", tt.scale, tt.factor, got, tt.want)
		}
	}
}
