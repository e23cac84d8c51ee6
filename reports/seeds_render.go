package reports

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WriteSeedsJSON writes the multi-seed result as indented JSON.
func WriteSeedsJSON(w io.Writer, r *Seeds) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("seeds report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadSeedsJSON reads what WriteSeedsJSON wrote.
func ReadSeedsJSON(rd io.Reader) (*Seeds, error) {
	var r Seeds
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("seeds report: %w", err)
	}
	return &r, nil
}

// distText writes a distribution as "median 4m10s  p90 7m2s  p95 8m  worst 9m30s".
func distText(d Dist) string {
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%d/%d", opt(d.MedianS), opt(d.P90S), opt(d.P95S), opt(d.WorstS), d.Reached, d.Reached+d.Never)
}

// WriteSeedsText writes the terminal summary of a multi-seed run.
func WriteSeedsText(w io.Writer, r *Seeds) error {
	b := &strings.Builder{}
	s := r.Scenario
	fmt.Fprintf(b, "paydrill %s: router %s, %d seeds (%s), each expectation must hold in %.0f%% of them\n",
		s.Name, s.Router, r.Runs, seedRange(r.Seeds), 100*r.Confidence)
	fmt.Fprintf(b, "  %d seed runs in %.2fs on %d jobs (%.0f runs a minute)\n", r.Runs, r.Engine.WallS, r.Engine.Jobs, r.Engine.RunsPerMinute)
	if r.Version != "" {
		fmt.Fprintf(b, "  paydrill %s\n", r.Version)
	}
	if r.Stopped != "" {
		fmt.Fprintf(b, "  %s\n", r.Stopped)
	}
	if len(r.Faults) > 0 {
		b.WriteString("\nTimes over seeds (never counts as later than any time)\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  fault\ttime\tmedian\tp90\tp95\tworst\treached")
		for _, f := range r.Faults {
			fmt.Fprintf(tw, "  %s\tdetect\t%s\n", f.Name, distText(f.Detect))
			fmt.Fprintf(tw, "  %s\tfail over\t%s\n", f.Name, distText(f.Failover))
		}
		tw.Flush()
	}
	if len(r.Expectations) > 0 {
		b.WriteString("\nExpectations over seeds\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, e := range r.Expectations {
			fmt.Fprintf(tw, "  %s\t%s\twant %s\theld %d/%d\t%.1f%% (95%%: %.1f–%.1f%%)\n", strings.ToUpper(e.Outcome), seedsExpName(e),
				e.Want, e.Held, e.Held+e.Failed+e.Inconclusive, 100*e.Share, 100*e.Low, 100*e.High)
		}
		tw.Flush()
		for _, e := range r.Expectations {
			if e.Reason != "" {
				fmt.Fprintf(b, "  %s %s: %s\n", e.Outcome, seedsExpName(e), e.Reason)
			}
		}
	}
	fmt.Fprintf(b, "\nVerdict: %s\nReproduce: %s\n", strings.ToUpper(r.Verdict), r.Reproduce)
	_, err := io.WriteString(w, b.String())
	return err
}

func seedsExpName(e SeedsExpectation) string {
	if e.Fault != "" {
		return e.Name + " (" + e.Fault + ")"
	}
	return e.Name
}

// seedRange writes seeds as "1..200" when consecutive, else "N seeds".
func seedRange(seeds []uint64) string {
	if len(seeds) == 0 {
		return "none"
	}
	for i := 1; i < len(seeds); i++ {
		if seeds[i] != seeds[i-1]+1 {
			return fmt.Sprintf("%d listed", len(seeds))
		}
	}
	return fmt.Sprintf("%d..%d", seeds[0], seeds[len(seeds)-1])
}

// WriteSeedsMarkdown writes the multi-seed summary for a CI job summary.
func WriteSeedsMarkdown(w io.Writer, r *Seeds) error {
	b := &strings.Builder{}
	s := r.Scenario
	mark := map[string]string{Pass: "✅", Fail: "❌"}[r.Verdict]
	if mark == "" {
		mark = "❔"
	}
	fmt.Fprintf(b, "## %s paydrill %s over %d seeds: %s\n\n", mark, mdEscape(s.Name), r.Runs, strings.ToUpper(r.Verdict))
	fmt.Fprintf(b, "Router `%s`, seeds `%s`%s; each expectation must hold in %.0f%% of seeds.\n\n", s.Router, seedRange(r.Seeds), mdVersion(r.Version), 100*r.Confidence)
	if r.Stopped != "" {
		fmt.Fprintf(b, "> %s\n\n", mdEscape(r.Stopped))
	}
	b.WriteString("| | expectation | want | held | share (95% interval) |\n| --- | --- | --- | --- | --- |\n")
	for _, e := range r.Expectations {
		m := map[string]string{Pass: "✅ pass", Fail: "❌ **FAIL**", Inconclusive: "❔ **inconclusive**"}[e.Outcome]
		if m == "" {
			m = "➖ n/a"
		}
		share := fmt.Sprintf("%.1f%% (%.1f–%.1f%%)", 100*e.Share, 100*e.Low, 100*e.High)
		if e.Reason != "" {
			share += "<br>" + mdEscape(e.Reason)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %d/%d | %s |\n", m, mdEscape(seedsExpName(e)), mdEscape(e.Want), e.Held, e.Held+e.Failed+e.Inconclusive, share)
	}
	if len(r.Faults) > 0 {
		b.WriteString("\n| fault | time | median | p90 | p95 | worst | reached |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, f := range r.Faults {
			for _, x := range []struct {
				what string
				d    Dist
			}{{"detect", f.Detect}, {"fail over", f.Failover}} {
				fmt.Fprintf(b, "| %s | %s | %s |\n", mdEscape(f.Name), x.what, strings.ReplaceAll(distText(x.d), "\t", " | "))
			}
		}
	}
	fmt.Fprintf(b, "\nReproduce: `%s`\n", r.Reproduce)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSeedsJUnit writes one test case per expectation over the seeds:
// a failure when it failed, skipped (with the reason) when inconclusive.
func WriteSeedsJUnit(w io.Writer, r *Seeds) error {
	s := r.Scenario
	suite := junitSuite{Name: "paydrill." + s.Name, Time: "0", Properties: []junitProperty{
		{"router", s.Router}, {"seeds", seedRange(r.Seeds)}, {"confidence", fmt.Sprint(r.Confidence)},
		{"verdict", r.Verdict}, {"reproduce", r.Reproduce},
	}}
	if r.Version != "" {
		suite.Properties = append(suite.Properties, junitProperty{"paydrill_version", r.Version})
	}
	class := "paydrill." + s.Name
	for _, e := range r.Expectations {
		c := junitCase{Name: seedsExpName(e) + " over seeds", ClassName: class, Time: "0"}
		detail := fmt.Sprintf("held in %d of %d seeds (%.1f%%, 95%% interval %.1f–%.1f%%), want %s in %.0f%%",
			e.Held, e.Held+e.Failed+e.Inconclusive, 100*e.Share, 100*e.Low, 100*e.High, e.Want, 100*r.Confidence)
		switch e.Outcome {
		case Fail:
			c.Failure = &junitFailure{Message: detail, Type: "expectation", Text: detail + "\nreproduce: " + r.Reproduce + "\n"}
			suite.Failures++
		case Inconclusive, NotApplicable:
			c.Skipped = &junitSkipped{Message: e.Outcome + ": " + e.Reason}
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, c)
	}
	if r.Interrupted {
		suite.SystemOut = r.Stopped
	}
	return writeJUnitSuite(w, suite)
}

// SeedsChart draws, per fault, the share of seeds that had failed over by
// each time (an empirical distribution function), with the fail-over
// limit marked: the answer "how often within ten minutes" read off a line.
func SeedsChart(r *Seeds) (*Chart, error) {
	if len(r.Faults) == 0 || r.Runs == 0 {
		return nil, nil
	}
	p := newPlot()
	lg := plot.NewLegend()
	p.X.Label.Text = "time since the fault's start"
	p.X.Tick.Marker = minuteTicks{}
	p.Y.Label.Text = "share of seeds failed over"
	p.Y.Min, p.Y.Max = 0, 1
	maxX := 1.0
	for i, f := range r.Faults {
		var xs []float64
		for _, row := range r.PerSeed {
			if i < len(row.FailoverS) && row.FailoverS[i] != nil {
				xs = append(xs, *row.FailoverS[i]/60)
			}
		}
		slices.Sort(xs)
		pts := plotter.XYs{{X: 0, Y: 0}}
		for k, x := range xs {
			pts = append(pts, plotter.XY{X: x, Y: float64(k) / float64(r.Runs)}, plotter.XY{X: x, Y: float64(k+1) / float64(r.Runs)})
			maxX = max(maxX, x)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		lg.Add(f.Name, l)
	}
	for _, e := range r.Expectations {
		if e.Name != "failover_within" || e.WantValue <= 0 {
			continue
		}
		x := e.WantValue / 60
		maxX = max(maxX, x*1.1)
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1}})
		if err != nil {
			return nil, err
		}
		l.Color = markColors["detect"]
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		lg.Add("limit "+e.Want+" ("+e.Fault+")", l)
		break
	}
	p.X.Min, p.X.Max = 0, maxX
	svg, err := toSVG(p, lg)
	if err != nil {
		return nil, fmt.Errorf("seeds chart: %w", err)
	}
	return &Chart{Title: "Fail over over seeds: share of seeds failed over by each time", SVG: svg}, nil
}

// WriteSeedsHTML writes a self-contained page: the verdict and the
// expectations over seeds first, then the distribution chart and table.
func WriteSeedsHTML(w io.Writer, r *Seeds) error {
	c, err := SeedsChart(r)
	if err != nil {
		return err
	}
	var svg template.HTML
	if c != nil {
		svg = template.HTML(c.SVG)
	}
	return seedsTemplate.Execute(w, struct {
		R     *Seeds
		Chart template.HTML
		Range string
	}{r, svg, seedRange(r.Seeds)})
}

var seedsTemplate = template.Must(template.New("seeds").Funcs(htmlFuncs).Funcs(template.FuncMap{
	"name": seedsExpName, "pct1": func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>paydrill {{.R.Scenario.Name}} over {{.R.Runs}} seeds: {{upper .R.Verdict}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.verdict{padding:.1rem .5rem;border-radius:4px;color:#fff;font-weight:bold}
.pass{background:#2c8a2c}.fail{background:#c62828}.inconclusive{background:#8a6d00}.muted{color:#666}
svg{max-width:100%;height:auto}
</style>
</head>
<body>
<h1>paydrill {{.R.Scenario.Name}} over {{.R.Runs}} seeds <span class="verdict {{.R.Verdict}}">{{upper .R.Verdict}}</span></h1>
<p>Router <code>{{.R.Scenario.Router}}</code>, seeds {{.Range}}{{with .R.Version}}, paydrill <code>{{.}}</code>{{end}}; each expectation must hold in {{pct1 .R.Confidence}} of seeds. {{with .R.Stopped}}{{.}}.{{end}}</p>
<table>
<tr><th>result</th><th>expectation</th><th>want</th><th>held</th><th>share (95% interval)</th></tr>
{{range .R.Expectations}}<tr><td><span class="verdict {{.Outcome}}">{{upper .Outcome}}</span></td><td>{{name .}}</td><td>{{.Want}}</td><td>{{.Held}} of {{.Held}}+{{.Failed}}+{{.Inconclusive}}</td><td>{{pct1 .Share}} ({{pct1 .Low}}–{{pct1 .High}}){{with .Reason}}<br><span class="muted">{{.}}</span>{{end}}</td></tr>
{{end}}</table>
{{with .Chart}}<figure>{{.}}</figure>{{end}}
<table>
<tr><th>fault</th><th>time</th><th>median</th><th>p90</th><th>p95</th><th>worst</th><th>reached</th></tr>
{{range .R.Faults}}<tr><td>{{.Name}}</td><td>detect</td><td>{{opt .Detect.MedianS}}</td><td>{{opt .Detect.P90S}}</td><td>{{opt .Detect.P95S}}</td><td>{{opt .Detect.WorstS}}</td><td>{{.Detect.Reached}}</td></tr>
<tr><td>{{.Name}}</td><td>fail over</td><td>{{opt .Failover.MedianS}}</td><td>{{opt .Failover.P90S}}</td><td>{{opt .Failover.P95S}}</td><td>{{opt .Failover.WorstS}}</td><td>{{.Failover.Reached}}</td></tr>
{{end}}</table>
<p>Reproduce: <code>{{.R.Reproduce}}</code></p>
</body>
</html>
`))
