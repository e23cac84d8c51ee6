package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/paydrill/paydrill/internal/sim"
)

// progress shows how far a run has got: mpb bars on a terminal, a plain
// line every few seconds otherwise (mpb prints nothing off a terminal).
type progress struct {
	name   string
	w      io.Writer
	mode   string // bars, plain, off
	p      *mpb.Progress
	shared bool // p belongs to a progressGroup, which waits for it
	bar    *mpb.Bar
	// orders and simulated are written by the engine's goroutine and read
	// by mpb's.
	orders    atomic.Int64
	simulated atomic.Int64
	last      time.Time
}

const plainEvery = 5 * time.Second

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressMode resolves auto for w from the process's environment.
func progressMode(w io.Writer, mode string) string {
	return resolveProgress(mode, isTerminal(w), os.Getenv)
}

// resolveProgress resolves auto to bars on a terminal and plain lines
// otherwise, and to plain lines on a terminal too when the environment
// says no bars: CI set (GitHub Actions, GitLab and most CI services set
// CI=true; CI=false or CI=0 means not in CI), or TERM=dumb. A mode other
// than auto is the user's choice and kept. paydrill prints no colour, so
// NO_COLOR needs nothing (docs/cli.md#environment).
func resolveProgress(mode string, tty bool, getenv func(string) string) string {
	if mode != "auto" {
		return mode
	}
	if !tty || inCI(getenv) || getenv("TERM") == "dumb" {
		return "plain"
	}
	return "bars"
}

// inCI reports whether the CI variable says the process runs in CI.
func inCI(getenv func(string) string) bool {
	switch strings.ToLower(getenv("CI")) {
	case "", "false", "0", "no":
		return false
	}
	return true
}

func newProgress(ctx context.Context, w io.Writer, mode, name string) *progress {
	mode = progressMode(w, mode)
	pr := &progress{name: name, w: w, mode: mode, last: time.Now()}
	if mode == "bars" {
		pr.p = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40))
	}
	return pr
}

// update is the engine's progress callback.
func (pr *progress) update(p sim.Progress) {
	pr.orders.Store(p.Orders)
	pr.simulated.Store(int64(p.Simulated))
	switch pr.mode {
	case "bars":
		if pr.bar == nil {
			b, err := pr.p.Add(int64(p.Total/time.Millisecond), mpb.BarStyle().Build(),
				mpb.PrependDecorators(decor.Name(pr.name+" ", decor.WCSyncSpaceR),
					decor.Any(func(decor.Statistics) string {
						return fmt.Sprintf("%v simulated", time.Duration(pr.simulated.Load()).Round(time.Second))
					})),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%d orders", pr.orders.Load()) })))
			if err != nil {
				pr.mode = "off" // the context ended: no more bars
				return
			}
			pr.bar = b
		}
		pr.bar.SetCurrent(int64(p.Simulated / time.Millisecond))
	case "plain":
		if time.Since(pr.last) >= plainEvery {
			pr.last = time.Now()
			fmt.Fprintf(pr.w, "paydrill: %s %v/%v simulated, %d orders\n", pr.name,
				p.Simulated.Round(time.Second), p.Total.Round(time.Second), p.Orders)
		}
	}
}

// done completes and removes the bars.
func (pr *progress) done() {
	if pr.p == nil {
		return
	}
	if pr.bar != nil {
		pr.bar.SetTotal(-1, true)
	}
	if !pr.shared {
		pr.p.Wait()
	}
}

// progressGroup shows several drills running at once: one bar per drill
// on a terminal; otherwise a plain line as each drill finishes
// ("paydrill: 3/18 done: merchant-freeze PASS").
type progressGroup struct {
	w     io.Writer
	mode  string // bars, plain, off
	p     *mpb.Progress
	mu    sync.Mutex
	done  int
	total int
}

func newProgressGroup(ctx context.Context, w io.Writer, mode string, total int) *progressGroup {
	g := &progressGroup{w: w, mode: progressMode(w, mode), total: total}
	if g.mode == "bars" {
		g.p = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40))
	}
	return g
}

// drill returns the progress of one drill of the group: a bar of the
// group's, or nothing while it runs (plain lines come when it finishes).
func (g *progressGroup) drill(name string) *progress {
	if g.mode != "bars" {
		return &progress{name: name, w: g.w, mode: "off"}
	}
	return &progress{name: name, w: g.w, mode: "bars", p: g.p, shared: true}
}

// finished ends a drill's bar, or prints its plain line.
func (g *progressGroup) finished(pr *progress, verdict string) {
	pr.done()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done++
	if g.mode == "plain" {
		fmt.Fprintf(g.w, "paydrill: %d/%d done: %s %s\n", g.done, g.total, pr.name, verdict)
	}
}

// wait lets the bars draw their last frame.
func (g *progressGroup) wait() {
	if g.p != nil {
		g.p.Wait()
	}
}

// counter shows a count of runs done: one bar on a terminal, a plain
// line every few seconds otherwise.
type counter struct {
	what string
	w    io.Writer
	mode string
	p    *mpb.Progress
	bar  *mpb.Bar
	mu   sync.Mutex
	last time.Time
}

func newCounter(ctx context.Context, w io.Writer, mode, what string, total int) *counter {
	c := &counter{what: what, w: w, mode: progressMode(w, mode), last: time.Now()}
	if c.mode == "bars" {
		c.p = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40))
		b, err := c.p.Add(int64(total), mpb.BarStyle().Build(),
			mpb.PrependDecorators(decor.Name(what+" ")),
			mpb.AppendDecorators(decor.CountersNoUnit("%d/%d runs")))
		if err != nil {
			c.mode = "off"
			return c
		}
		c.bar = b
	}
	return c
}

// update takes the runs done so far.
func (c *counter) update(done, total int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.mode {
	case "bars":
		c.bar.SetCurrent(int64(done))
	case "plain":
		if time.Since(c.last) >= plainEvery || done == total {
			c.last = time.Now()
			fmt.Fprintf(c.w, "paydrill: %s %d/%d runs done\n", c.what, done, total)
		}
	}
}

// done completes and removes the bar.
func (c *counter) done() {
	if c.p == nil {
		return
	}
	if c.bar != nil {
		c.bar.SetTotal(-1, true)
	}
	c.p.Wait()
}
