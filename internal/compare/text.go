package compare

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the comparison: a row per router (conversion, excess
// failed orders and their money, fees, money safety, verdict), the
// uplift of each over the first, and per fault the time to detect and to
// fail over under each router.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	if len(r.Rows) == 0 {
		return nil
	}
	first := r.Rows[0]
	fmt.Fprintf(&b, "compare %s: seed %d, %d orders, the same traffic and faults under %d routers\n\n",
		r.Scenario, r.Seed, first.Report.Orders.Created, len(r.Rows))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "router\tconversion\tpaid %s\texcess failed\texcess failed %s\tfees %s\tlost\tduplicate charges\tstranded\tverdict\n", r.Currency, r.Currency, r.Currency)
	for _, row := range r.Rows {
		o := row.Report.Orders
		fmt.Fprintf(tw, "%s\t%.1f%%\t%s\t%d\t%s\t%s\t%d\t%d\t%d\t%s\n", row.Router, 100*o.Conversion, money(o.PaidAmount),
			row.ExcessFailed, money(row.ExcessFailedAmount), money(row.Fees), o.Lost, o.DuplicateCharges, o.Stranded,
			strings.ToUpper(row.Report.Verdict))
	}
	tw.Flush()
	if len(r.Rows) > 1 {
		fmt.Fprintf(&b, "\nUplift over %s\n", first.Router)
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "router\tconversion\tpaid %s\texcess failed\tfees %s\tmoney safe\n", r.Currency, r.Currency)
		for _, row := range r.Rows[1:] {
			safe := "yes"
			if !row.MoneySafe() {
				safe = "no"
			}
			fmt.Fprintf(tw, "%s\t%+.2f pp\t%s\t%+d\t%s\t%s\n", row.Router, row.ConversionUplift, signed(row.PaidUplift),
				row.ExcessFailedUplift, signed(row.FeesUplift), safe)
		}
		tw.Flush()
	}
	if len(first.Report.Faults) > 0 {
		b.WriteString("\nTime to detect / fail over per fault\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		b2 := []string{"fault"}
		for _, row := range r.Rows {
			b2 = append(b2, row.Router)
		}
		fmt.Fprintln(tw, strings.Join(b2, "\t"))
		for i, f := range first.Report.Faults {
			cells := []string{f.Name}
			for _, row := range r.Rows {
				g := row.Report.Faults[i]
				cells = append(cells, secs(g.DetectS)+" / "+secs(g.FailoverS))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func secs(s *float64) string {
	if s == nil {
		return "never"
	}
	return (time.Duration(math.Round(*s)) * time.Second).String()
}

// money formats major units with thousands separators: 1,511,574.15.
func money(v float64) string {
	neg := v < 0
	cents := int64(math.Round(math.Abs(v) * 100))
	s := fmt.Sprintf("%d", cents/100)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	r := fmt.Sprintf("%s.%02d", out, cents%100)
	if neg {
		r = "-" + r
	}
	return r
}

func signed(v float64) string {
	if v >= 0 {
		return "+" + money(v)
	}
	return money(v)
}
