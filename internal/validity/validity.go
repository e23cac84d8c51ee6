// Package validity judges whether a wall-clock drill kept its own time and
// resources: the drill measures itself (how late it sent, how late the
// mock providers answered and notified, its own connection errors, open
// files, CPU starvation), and a run beyond any bound is invalid, never a
// failure of the router. The bounds are stated here and in
// docs/validity.md; Judge is a pure function of the measures.
package validity

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/paydrill/paydrill/reports"
)

// Measures are what a wall-clock run measured of itself. Lags are wall
// time, as measured; Judge turns them into scenario time (times Scale),
// the time the figures are in. A negative figure was not measured.
type Measures struct {
	Scale float64 // scenario time per wall time
	// Achieved is the scenario time the run covered per wall second (0:
	// unknown): below Scale when the drill could not keep its pace.
	Achieved float64
	Bucket   time.Duration // the scenario's measurement bucket (scenario time)

	Arrivals int64 // orders the scenario planned (sent or not)
	NotSent  int64 // arrivals the load generator could not send

	SendLagP99  time.Duration // how late requests were released
	WriteLagP99 time.Duration // how late they were written to the router

	Requests   int64 // HTTP requests the drill made (orders, pay pages)
	ConnErrors int64 // of them, failed on the drill's side (its own descriptors, ports, mocks)

	AnswerLagP99 time.Duration // how much later than their model the mocks answered (-1: not measured)
	NoticeLagP99 time.Duration // how much later than their model notifications left (-1: not measured)

	OpenFilesPeak  int64 // most descriptors open at once (-1: not measured)
	OpenFilesLimit int64 // the soft limit (-1: unknown)

	SchedLatencyP99 time.Duration // goroutines runnable but not running: CPU starvation (-1: not measured)

	// StoppedAt is the scenario time at which the load generator gave up,
	// Behind (wall) behind its arrivals; -1: it kept going to the end.
	StoppedAt time.Duration
	Behind    time.Duration
}

// The bounds, as fractions of the scenario's bucket (the resolution of
// every time figure) or of the work done.
const (
	// A request released or a mock answer given later than a tenth of a
	// bucket moves figures by a visible share of their resolution.
	sendLagShare   = 0.1
	answerLagShare = 0.1
	schedLagShare  = 0.1
	// Writing includes getting a connection; notifications are seconds
	// late by design (their model delays); a quarter of a bucket.
	writeLagShare  = 0.25
	noticeLagShare = 0.25
	// Orders the drill itself dropped or could not deliver.
	maxNotSent    = 0.001
	maxConnErrors = 0.001
	// Open files: room to spare under the limit.
	maxOpenFiles = 0.8
)

// Judge checks the measures against the bounds. An invalid result names
// every broken bound and suggests the highest time scale the figures say
// this machine could have held.
func Judge(m Measures) *reports.Health {
	h := &reports.Health{Valid: true}
	scale := m.Scale
	if scale <= 0 {
		scale = 1
	}
	bucket := m.Bucket
	if bucket <= 0 {
		bucket = 10 * time.Second
	}
	factor := math.Inf(1) // how much lower the scale must go, the least of the broken bounds
	// A drill that fell far behind queued its work: its lateness says
	// little of what a lower scale would see, but the pace it did keep
	// does. Half of it is always worth a try.
	floor := 0.0
	if m.Achieved > 0 {
		floor = 0.5 * min(m.Achieved, scale) / scale
	}
	var broken []string
	add := func(c reports.HealthCheck, f float64, why string) {
		if c.Measured && !c.OK {
			broken = append(broken, why)
			factor = min(factor, max(f, floor))
		}
		h.Checks = append(h.Checks, c)
	}
	lag := func(name, what string, wall time.Duration, share float64) {
		limit := time.Duration(share * float64(bucket))
		c := reports.HealthCheck{Name: name, Limit: "<= " + round(limit) + " (scenario time)",
			LimitValue: limit.Seconds(), Measured: wall >= 0}
		if !c.Measured {
			c.Got, c.OK = "not measured", true
			add(c, 1, "")
			return
		}
		got := time.Duration(float64(wall) * scale)
		c.Got, c.GotValue, c.OK = round(got), got.Seconds(), got <= limit
		// Lateness in wall time stays about what it was at a lower scale;
		// in scenario time it shrinks with the scale.
		add(c, float64(limit)/float64(max(got, 1)), fmt.Sprintf("%s p99 %s > %s", what, round(got), round(limit)))
	}
	ratio := func(name, what string, n, of int64, bound float64) {
		r := 0.0
		if of > 0 {
			r = float64(n) / float64(of)
		}
		c := reports.HealthCheck{Name: name, Got: fmt.Sprintf("%d of %d", n, of), Limit: fmt.Sprintf("<= %g%%", 100*bound),
			GotValue: r, LimitValue: bound, Measured: true, OK: r <= bound}
		add(c, 0.5, fmt.Sprintf("%s %d of %d (%.2g%%)", what, n, of, 100*r))
	}
	pace := reports.HealthCheck{Name: "kept_pace", Got: "to the end", Limit: "sends every arrival", Measured: true, OK: m.StoppedAt < 0}
	if !pace.OK {
		pace.Got = fmt.Sprintf("stopped at %s, %s behind", round(m.StoppedAt), round(m.Behind))
		pace.GotValue = m.StoppedAt.Seconds()
	}
	add(pace, 0.5, "the load generator "+pace.Got+" (wall time) and sent nothing more")
	lag("send_lag", "send lag", m.SendLagP99, sendLagShare)
	lag("write_lag", "write lag", m.WriteLagP99, writeLagShare)
	ratio("not_sent", "arrivals not sent", m.NotSent, m.Arrivals, maxNotSent)
	ratio("connection_errors", "the drill's own connection errors", m.ConnErrors, m.Requests, maxConnErrors)
	lag("mock_answer_lag", "mock answers late", m.AnswerLagP99, answerLagShare)
	lag("notification_lag", "notifications late", m.NoticeLagP99, noticeLagShare)
	files := reports.HealthCheck{Name: "open_files", Got: "not measured", Limit: fmt.Sprintf("<= %g%% of the limit", 100*maxOpenFiles),
		LimitValue: maxOpenFiles, OK: true}
	if m.OpenFilesPeak >= 0 && m.OpenFilesLimit > 0 {
		r := float64(m.OpenFilesPeak) / float64(m.OpenFilesLimit)
		files.Measured, files.GotValue, files.OK = true, r, r <= maxOpenFiles
		files.Got = fmt.Sprintf("%d of %d", m.OpenFilesPeak, m.OpenFilesLimit)
	}
	add(files, maxOpenFiles/max(files.GotValue, 1e-9)*0.9, "open files "+files.Got)
	lag("cpu_starvation", "goroutines waiting for a CPU", m.SchedLatencyP99, schedLagShare)

	if len(broken) > 0 {
		h.Valid = false
		h.Reason = strings.Join(broken, "; ")
		h.SuggestedTimeScale = Suggest(scale, factor)
	}
	return h
}

// niceScales are the time scales suggested, highest first.
var niceScales = []float64{600, 300, 120, 60, 30, 20, 10, 5, 3, 2, 1}

// Suggest is the highest nice time scale at most scale × factor, and at
// most half of scale (a run that fell behind is never told to try the
// same scale again); 0 when not even 1 fits.
func Suggest(scale, factor float64) float64 {
	target := scale * min(factor, 0.5)
	for _, s := range niceScales {
		if s <= target {
			return s
		}
	}
	return 0
}

// round writes a duration at a precision fit for the bounds.
func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
