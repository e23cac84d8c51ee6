package main

import (
	"context"
	"fmt"
	"io"
	"os"
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
	bar    *mpb.Bar
	orders int64
	last   time.Time
}

const plainEvery = 5 * time.Second

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(ctx context.Context, w io.Writer, mode, name string) *progress {
	if mode == "auto" {
		mode = "plain"
		if isTerminal(w) {
			mode = "bars"
		}
	}
	pr := &progress{name: name, w: w, mode: mode, last: time.Now()}
	if mode == "bars" {
		pr.p = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(40))
	}
	return pr
}

// update is the engine's progress callback.
func (pr *progress) update(p sim.Progress) {
	switch pr.mode {
	case "bars":
		if pr.bar == nil {
			b, err := pr.p.Add(int64(p.Total/time.Millisecond), mpb.BarStyle().Build(),
				mpb.PrependDecorators(decor.Name(pr.name+" ", decor.WCSyncSpaceR),
					decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%v simulated", p.Simulated.Round(time.Second)) })),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%d orders", pr.orders) })))
			if err != nil {
				pr.mode = "off" // the context ended: no more bars
				return
			}
			pr.bar = b
		}
		pr.orders = p.Orders
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
	pr.p.Wait()
}
