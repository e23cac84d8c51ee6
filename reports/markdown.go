package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMarkdown writes a summary that reads well as a CI job summary
// (GitHub's $GITHUB_STEP_SUMMARY): the verdict first, a table per fault,
// the expectations, orders, and the conversion chart as a mermaid xychart
// in a code block, which GitHub draws (a point with no orders is drawn
// at 0).
func WriteMarkdown(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	s := r.Scenario
	mark := "✅"
	switch r.Verdict {
	case Pass:
	case Inconclusive, Invalid:
		mark = "❔"
	default:
		mark = "❌"
	}
	fmt.Fprintf(b, "## %s paydrill %s: %s\n\n", mark, mdEscape(s.Name), strings.ToUpper(r.Verdict))
	// The first screen: per fault the answer, then why the drill did not pass.
	for _, a := range Answers(r) {
		m := ""
		if a.Outcome != "" {
			m = verdictMark(a.Outcome) + " "
		}
		fmt.Fprintf(b, "%s**%s**: %s\n\n", m, mdEscape(a.Fault), mdEscape(a.Text))
	}
	for _, why := range Reasons(r) {
		fmt.Fprintf(b, "- %s\n", mdEscape(why))
	}
	if len(Reasons(r)) > 0 {
		b.WriteString("\n")
	}
	passed := 0
	for _, x := range r.Expectations {
		if x.Pass {
			passed++
		}
	}
	fmt.Fprintf(b, "**%d of %d expectations held.** Router `%s`, seed `%d`, %s of traffic%s.\n\n",
		passed, len(r.Expectations), s.Router, s.Seed, dur(s.DurationS), mdVersion(r.Version))
	if s.Description != "" {
		fmt.Fprintf(b, "%s\n\n", mdEscape(s.Description))
	}
	if r.Health != nil {
		fmt.Fprintf(b, "> **Drill health**: %s\n\n", mdEscape(r.Health.Line()))
	}
	if r.Interrupted {
		b.WriteString("> **Interrupted**: the figures cover only what ran.\n\n")
	}
	if r.Unsigned {
		b.WriteString("> **Unsigned**: " + UnsignedNote + "\n\n")
	}
	for _, v := range r.Violations {
		fmt.Fprintf(b, "> **Violation**: %s\n\n", mdEscape(v))
	}
	for _, v := range r.Warnings {
		fmt.Fprintf(b, "> **Warning**: %s\n\n", mdEscape(v))
	}
	fmt.Fprintf(b, "Reproduce: `%s`\n", r.Reproduce)

	for _, f := range r.Faults {
		fmt.Fprintf(b, "\n### Fault %s\n\n", mdEscape(f.Name))
		b.WriteString("| type | targets | window | detect | fail over | recover | fail back | excess failed | fault hits |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		fmt.Fprintf(b, "| %s | %s | %s–%s | %s | %s | %s | %s | %d (%s %s) | %d/%d |\n",
			f.Type, mdEscape(strings.Join(f.Providers, ", ")), dur(f.StartS), dur(f.EndS),
			SpanText(f.DetectS, f.DetectSpan), SpanText(f.FailoverS, f.FailoverSpan),
			SpanText(f.RecoverS, f.RecoverSpan), SpanText(f.FailbackS, f.FailbackSpan),
			f.ExcessFailed, s.Currency, amount(f.ExcessFailedAmount), f.Hits, f.Attempts)
		if p := Precision(&f); p != "" {
			fmt.Fprintf(b, "\nPrecision: %s\n", mdEscape(p))
		}
		if f.Note != "" {
			fmt.Fprintf(b, "\n%s\n", mdEscape(f.Note))
		}
	}

	if len(r.Expectations) > 0 {
		b.WriteString("\n### Expectations\n\n| | expectation | fault | want | got |\n| --- | --- | --- | --- | --- |\n")
		for _, x := range r.Expectations {
			m := "✅ pass"
			switch x.Mark() {
			case "FAIL":
				m = "❌ **FAIL**"
			case "INCONCLUSIVE":
				m = "❔ **inconclusive**"
			case "N/A":
				m = "➖ n/a"
			}
			got := mdEscape(x.Got)
			if x.Reason != "" {
				got += "<br>" + mdEscape(x.Reason)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", m, x.Name, mdEscape(x.Fault), mdEscape(x.Want), got)
		}
	}

	o := r.Orders
	b.WriteString("\n### Orders\n\n| created | paid | conversion | failed | abandoned | lost | duplicate charges | duplicate deliveries | stranded | latency p50 / p99 |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	fmt.Fprintf(b, "| %d | %d | %.1f%% | %d | %d | %d | %d | %d | %d | %s / %s |\n",
		o.Created, o.Paid, 100*o.Conversion, o.Failed, o.Abandoned, o.Lost, o.DuplicateCharges, o.DuplicateDeliveries, o.Stranded,
		ms(r.Latency.P50Ms), ms(r.Latency.P99Ms))
	writeLimitsMarkdown(b, r)

	if sr := r.Series; sr != nil && len(sr.StartS) > 0 {
		b.WriteString("\n### Conversion (%)\n\n")
		fmt.Fprintf(b, "Baseline %.1f%%, one point per %s; faults:", 100*sr.BaselineConversion, dur(sr.BucketS))
		for _, f := range r.Faults {
			fmt.Fprintf(b, " %s %s–%s;", mdEscape(f.Name), dur(f.StartS), dur(f.EndS))
		}
		b.WriteString("\n\n```mermaid\nxychart-beta\n")
		fmt.Fprintf(b, "    x-axis \"minutes since start\" 0 --> %s\n", num((sr.StartS[len(sr.StartS)-1]+sr.BucketS)/60))
		b.WriteString("    y-axis \"conversion (%)\" 0 --> 100\n    line [")
		for i, v := range sr.Conversion {
			if i > 0 {
				b.WriteString(", ")
			}
			if v == nil {
				b.WriteString("0")
				continue
			}
			b.WriteString(num(100 * *v))
		}
		b.WriteString("]\n```\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// num writes a number in its shortest form, at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+0.5*sign(v)))/100, 'f', -1, 64)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// mdEscape keeps text from breaking a table cell or starting markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdVersion is ", paydrill `VERSION`" for a report that names its build.
func mdVersion(v string) string {
	if v == "" {
		return ""
	}
	return ", paydrill `" + v + "`"
}
