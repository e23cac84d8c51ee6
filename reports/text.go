package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the terminal summary: per fault detect / fail over /
// fail back, orders, money safety, providers, each expectation marked
// pass or fail, the verdict and the command that reproduces the run.
func WriteText(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	s := r.Scenario
	fmt.Fprintf(b, "paydrill %s: router %s, seed %d\n", s.Name, s.Router, s.Seed)
	if s.Description != "" {
		fmt.Fprintf(b, "  %s\n", s.Description)
	}
	e := r.Engine
	fmt.Fprintf(b, "  %s time: %s simulated in %.2fs (%.0fx), %d events\n",
		e.Mode, dur(e.SimulatedS), e.WallS, e.Speedup, e.Events)
	if r.Version != "" {
		fmt.Fprintf(b, "  paydrill %s\n", r.Version)
	}
	if r.Health != nil {
		fmt.Fprintf(b, "  drill health: %s\n", r.Health.Line())
	}
	if r.Interrupted {
		b.WriteString("  INTERRUPTED: the figures below cover only what ran.\n")
	}
	if r.Unsigned {
		b.WriteString("  UNSIGNED: " + UnsignedNote + "\n")
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(b, "  WARNING: %s\n", w)
	}

	if len(r.Faults) > 0 {
		b.WriteString("\nFaults\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  fault\ttype\ttargets\twindow\tdetect\tfail over\trecover\tfail back\texcess failed\tfault hits")
		for _, f := range r.Faults {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s–%s\t%s\t%s\t%s\t%s\t%d (%s %s)\t%d/%d\n",
				f.Name, f.Type, strings.Join(f.Providers, ","), dur(f.StartS), dur(f.EndS),
				SpanText(f.DetectS, f.DetectSpan), SpanText(f.FailoverS, f.FailoverSpan),
				SpanText(f.RecoverS, f.RecoverSpan), SpanText(f.FailbackS, f.FailbackSpan),
				f.ExcessFailed, s.Currency, amount(f.ExcessFailedAmount), f.Hits, f.Attempts)
		}
		tw.Flush()
		for _, f := range r.Faults {
			if p := Precision(&f); p != "" {
				fmt.Fprintf(b, "  precision (%s): %s\n", f.Name, p)
			}
			if f.Note != "" {
				fmt.Fprintf(b, "  note (%s): %s\n", f.Name, f.Note)
			}
		}
	}

	o := r.Orders
	b.WriteString("\nOrders\n")
	fmt.Fprintf(b, "  created %d  paid %d (%.1f%%)  failed %d  abandoned %d  lost %d",
		o.Created, o.Paid, 100*o.Conversion, o.Failed, o.Abandoned, o.Lost)
	if o.InFlight > 0 {
		fmt.Fprintf(b, "  in flight %d", o.InFlight)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  duplicate charges %d  duplicate deliveries %d  stranded %d  paid %s %s  failed %s %s\n",
		o.DuplicateCharges, o.DuplicateDeliveries, o.Stranded, s.Currency, amount(o.PaidAmount), s.Currency, amount(o.FailedAmount))
	fmt.Fprintf(b, "  attempts %d  status queries %d  duplicate notifications ignored %d\n",
		o.Attempts, o.StatusQueries, o.DuplicateNotifications)
	if o.RefusedNotifications > 0 {
		fmt.Fprintf(b, "  notifications refused by the router %d (forged, stale or not matching a payment it created)\n", o.RefusedNotifications)
	}
	l := r.Latency
	fmt.Fprintf(b, "  checkout latency p50 %s  p90 %s  p99 %s  max %s\n",
		ms(l.P50Ms), ms(l.P90Ms), ms(l.P99Ms), ms(l.MaxMs))

	if len(r.Providers) > 0 {
		b.WriteString("\nProviders\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  provider\tshare before\tshare during\tattempts\tcaptures\tcaptured\tfees\ttaken out")
		for _, p := range r.Providers {
			fmt.Fprintf(tw, "  %s\t%.1f%%\t%.1f%%\t%d\t%d\t%s\t%s\t%d\n", p.Name, 100*p.ShareBefore, 100*p.ShareDuring,
				p.Attempts, p.Captures, amount(p.Captured), amount(p.Fees), p.TakenOut)
		}
		tw.Flush()
	}
	writeLimitsText(b, r)

	if len(r.Expectations) > 0 {
		b.WriteString("\nExpectations\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, x := range r.Expectations {
			name := x.Name
			if x.Fault != "" {
				name += " (" + x.Fault + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\twant %s\tgot %s\n", x.Mark(), name, x.Want, x.Got)
		}
		tw.Flush()
		for _, x := range r.Expectations {
			if x.Reason != "" {
				fmt.Fprintf(b, "  %s %s: %s\n", strings.ToLower(x.Mark()), x.Name, x.Reason)
			}
		}
	}
	for _, v := range r.Violations {
		fmt.Fprintf(b, "  VIOLATION %s\n", v)
	}
	fmt.Fprintf(b, "\nVerdict: %s\n", strings.ToUpper(r.Verdict))
	fmt.Fprintf(b, "Reproduce: %s\n", r.Reproduce)
	_, err := io.WriteString(w, b.String())
	return err
}

// dur writes seconds as a Go duration ("1m30s").
func dur(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

// opt writes an optional time, "never" when it was never reached.
func opt(s *float64) string {
	if s == nil {
		return "never"
	}
	return dur(*s)
}

// SpanText writes a time with its precision: "8m40s–9m50s" when the
// orders place it in a span of a second or more, "2.729s ±200ms" under
// a second, the time alone when they pin it down to the millisecond.
func SpanText(s *float64, sp *Span) string {
	switch {
	case s == nil || sp == nil || sp.HighS-sp.LowS < 0.0005:
		return opt(s)
	case sp.HighS-sp.LowS < 1:
		return dur(*s) + " ±" + ms(1000*(sp.HighS-sp.LowS)/2)
	}
	return dur(sp.LowS) + "–" + dur(sp.HighS)
}

// Precision says, for a fault measured on little traffic (under 100
// orders in a figure's span), how many orders each time rests on and when
// its rule had the samples it needs; "" at higher traffic, where the spans
// are narrow and say it all.
func Precision(f *Fault) string {
	var parts []string
	for _, x := range []struct {
		what string
		sp   *Span
	}{{"detect", f.DetectSpan}, {"fail over", f.FailoverSpan}, {"fail back", f.FailbackSpan}} {
		if x.sp == nil || x.sp.Orders >= 100 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s after %d orders, confirmed at %s (%d samples needed)",
			x.what, SpanText(&x.sp.HighS, x.sp), x.sp.Orders, dur(x.sp.ConfirmedS), f.MinSamples))
	}
	if f.BaselineOrders > 0 && f.BaselineOrders < 100 {
		parts = append(parts, fmt.Sprintf("baseline conversion %.0f%% (95%%: %.0f–%.0f%%) from %d orders",
			100*f.BaselineConversion, 100*f.BaselineConversionLow, 100*f.BaselineConversionHigh, f.BaselineOrders))
	}
	return strings.Join(parts, "; ")
}

func ms(v float64) string {
	return time.Duration(v * float64(time.Millisecond)).Round(time.Millisecond).String()
}

// amount writes money with thousands separators: 1,234,567.89.
func amount(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%.2f", v)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var out []byte
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, byte(c))
	}
	if neg {
		return "-" + string(out) + frac
	}
	return string(out) + frac
}
