package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// limited lists the providers with contracted limits (a daily cap, or
// orders declined for a limit), in report order.
func (r *Report) limited() []Provider {
	var out []Provider
	for _, p := range r.Providers {
		if p.DailyCap > 0 || p.LimitDeclines > 0 {
			out = append(out, p)
		}
	}
	return out
}

// withinCap says whether a provider's busiest day stayed within its cap.
func withinCap(p Provider) string {
	switch {
	case p.DailyCap == 0:
		return "no cap"
	case p.DailyPeak <= p.DailyCap:
		return "yes"
	}
	return "NO"
}

// writeLimitsText writes the contracted-limits lines of the text summary
// (nothing when no provider has limits).
func writeLimitsText(w io.Writer, r *Report) {
	writeReviewsText(w, r)
	ps := r.limited()
	if len(ps) == 0 {
		return
	}
	io.WriteString(w, "\nContracted limits\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  provider\tdeclined for limits\tdaily cap\tbusiest day\twithin cap")
	for _, p := range ps {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", p.Name, p.LimitDeclines, amount(p.DailyCap), amount(p.DailyPeak), withinCap(p))
	}
	tw.Flush()
}

// writeLimitsMarkdown is the same as a Markdown table.
func writeLimitsMarkdown(b *strings.Builder, r *Report) {
	head := "\n### Velocity reviews\n\n"
	for _, p := range r.Providers {
		for _, v := range p.Reviews {
			fmt.Fprintf(b, "%s- %s under review at %s: %s\n", head, mdEscape(p.Name), dur(v.AtS), mdEscape(v.Cause))
			head = ""
		}
	}
	ps := r.limited()
	if len(ps) == 0 {
		return
	}
	b.WriteString("\n### Contracted limits\n\n| provider | declined for limits | daily cap | busiest day | within cap |\n| --- | --- | --- | --- | --- |\n")
	for _, p := range ps {
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s |\n", mdEscape(p.Name), p.LimitDeclines, amount(p.DailyCap), amount(p.DailyPeak), withinCap(p))
	}
}

// writeReviewsText lists the velocity reviews tripped (nothing when none).
func writeReviewsText(w io.Writer, r *Report) {
	first := true
	for _, p := range r.Providers {
		for _, v := range p.Reviews {
			if first {
				io.WriteString(w, "\nVelocity reviews\n")
				first = false
			}
			fmt.Fprintf(w, "  %s under review at %s: %s\n", p.Name, dur(v.AtS), v.Cause)
		}
	}
}
