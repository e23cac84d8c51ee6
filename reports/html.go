package reports

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteHTML writes the report as one self-contained HTML page that opens
// offline: inline CSS, charts as inline SVG, no script and no link to
// anything outside the page. It shows the verdict, the scenario, seed and
// reproduce command, the charts, a card per fault, the expectations,
// orders and providers.
func WriteHTML(w io.Writer, r *Report) error {
	charts, err := Charts(r)
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	var svgs []htmlChart
	for _, c := range charts {
		svgs = append(svgs, htmlChart{Title: c.Title, SVG: template.HTML(c.SVG)})
	}
	return htmlTemplate.Execute(w, struct {
		R      *Report
		Charts []htmlChart
	}{r, svgs})
}

type htmlChart struct {
	Title string
	SVG   template.HTML // drawn by Charts from the model, not from input text
}

var htmlFuncs = template.FuncMap{
	"unsignedNote": func() string { return UnsignedNote },
	"dur":          dur,
	"opt":          opt,
	"span":         SpanText,
	"lower":        strings.ToLower,
	"precision":    func(f Fault) string { return Precision(&f) },
	"ms":           ms,
	"amount":       amount,
	"pct":          func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) },
	"upper":        strings.ToUpper,
	"join":         strings.Join,
	"limited":      func(r *Report) []Provider { return r.limited() },
	"withinCap":    withinCap,
	"answers":      Answers,
	"reasons":      Reasons,
}

var htmlTemplate = template.Must(template.New("report").Funcs(htmlFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>paydrill {{.R.Scenario.Name}}: {{upper .R.Verdict}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#222;background:#fff}
h1{margin:0 0 .3rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.verdict{display:inline-block;padding:.15rem .6rem;border-radius:4px;color:#fff;font-weight:bold}
.pass{background:#2c8a2c}.fail{background:#c62828}.invalid{background:#6a1b9a}.inconclusive{background:#8a6d00}.n\/a{background:#777}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
th{background:#f4f4f4}td.num{text-align:right}
.cards{display:flex;flex-wrap:wrap;gap:1rem}
.card{border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;min-width:260px;flex:1}
.card h3{margin:.1rem 0 .5rem}.card dl{display:grid;grid-template-columns:auto auto;gap:.15rem 1rem;margin:0}
.card dt{color:#666}.card dd{margin:0}
figure{margin:1rem 0}figure svg{width:100%;height:auto}figcaption{font-weight:bold;margin-bottom:.3rem}
.muted{color:#666}
.answer{font-size:1.3rem;margin:.4rem 0}.reasons{color:#c62828;margin:.3rem 0 .8rem}
</style>
</head>
<body>
<header>
<h1>paydrill {{.R.Scenario.Name}} <span class="verdict {{.R.Verdict}}">{{upper .R.Verdict}}</span></h1>
<section id="answer">
{{range answers .R}}<p class="answer">{{with .Outcome}}<span class="verdict {{.}}">{{upper .}}</span> {{end}}<b>{{.Fault}}</b>: {{.Text}}</p>
{{end}}{{with reasons .R}}<ul class="reasons">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>
{{with .R.Scenario.Description}}<p>{{.}}</p>{{end}}
<p class="muted">router <b>{{.R.Scenario.Router}}</b> · seed <b>{{.R.Scenario.Seed}}</b> · {{dur .R.Scenario.DurationS}} of traffic{{with .R.Scenario.File}} · scenario <code>{{.}}</code>{{end}} · {{.R.Engine.Mode}} time{{with .R.Version}} · paydrill <code>{{.}}</code>{{end}}</p>
<p>Reproduce: <code>{{.R.Reproduce}}</code></p>
{{with .R.Health}}<p><b>Drill health:</b> {{if not .Valid}}<span class="verdict invalid">INVALID</span> {{end}}{{.Line}}</p>{{end}}
{{if .R.Interrupted}}<p class="fail verdict">INTERRUPTED: the figures cover only what ran.</p>{{end}}{{if .R.Unsigned}}<p><span class="verdict fail">UNSIGNED</span> {{unsignedNote}}</p>{{end}}
{{range .R.Violations}}<p><span class="verdict fail">VIOLATION</span> {{.}}</p>{{end}}{{range .R.Warnings}}<p><span class="verdict inconclusive">WARNING</span> {{.}}</p>{{end}}
</header>
{{if .Charts}}
<h2>Charts</h2>
<p class="muted">Fault windows shaded; dotted lines mark detection, fail-over and fail-back (at one time, their dots alternate); a solid dark line marks each fault's fail-over target (its start plus failover_within).{{with .R.Series}} One point per {{dur .BucketS}}.{{end}}</p>
{{range .Charts}}<figure><figcaption>{{.Title}}</figcaption>
{{.SVG}}</figure>
{{end}}{{end}}
{{if .R.Faults}}
<h2>Faults</h2>
<div class="cards">
{{range .R.Faults}}<section class="card">
<h3>{{.Name}}</h3>
<dl>
<dt>type</dt><dd>{{.Type}}</dd>
<dt>targets</dt><dd>{{join .Providers ", "}}</dd>
<dt>window</dt><dd>{{dur .StartS}} – {{dur .EndS}}</dd>
<dt>detect</dt><dd>{{span .DetectS .DetectSpan}}</dd>
<dt>fail over</dt><dd>{{span .FailoverS .FailoverSpan}}</dd>
<dt>recover</dt><dd>{{span .RecoverS .RecoverSpan}}</dd>
<dt>fail back</dt><dd>{{span .FailbackS .FailbackSpan}}</dd>
<dt>excess failed</dt><dd>{{.ExcessFailed}} ({{$.R.Scenario.Currency}} {{amount .ExcessFailedAmount}})</dd>
<dt>fault hits</dt><dd>{{.Hits}} / {{.Attempts}}</dd>
<dt>baseline conversion</dt><dd>{{pct .BaselineConversion}}</dd>
<dt>share to targets</dt><dd>{{pct .BaselineShare}} before, {{pct .ShareDuring}} during</dd>
</dl>
{{with precision .}}<p class="muted">Precision: {{.}}</p>{{end}}
{{with .Note}}<p class="muted">{{.}}</p>{{end}}
</section>
{{end}}</div>
{{end}}
{{if .R.Expectations}}
<h2>Expectations</h2>
<table>
<tr><th>result</th><th>expectation</th><th>fault</th><th>want</th><th>got</th></tr>
{{range .R.Expectations}}<tr><td><span class="verdict {{lower .Mark}}">{{.Mark}}</span></td><td>{{.Name}}</td><td>{{.Fault}}</td><td>{{.Want}}</td><td>{{.Got}}{{with .Reason}}<br><span class="muted">{{.}}</span>{{end}}</td></tr>
{{end}}</table>
{{end}}
<h2>Orders</h2>
{{with .R.Orders}}<table>
<tr><th>created</th><th>paid</th><th>conversion</th><th>failed</th><th>abandoned</th><th>lost</th><th>duplicate charges</th><th>duplicate deliveries</th><th>stranded</th></tr>
<tr><td class="num">{{.Created}}</td><td class="num">{{.Paid}}</td><td class="num">{{pct .Conversion}}</td><td class="num">{{.Failed}}</td><td class="num">{{.Abandoned}}</td><td class="num">{{.Lost}}</td><td class="num">{{.DuplicateCharges}}</td><td class="num">{{.DuplicateDeliveries}}</td><td class="num">{{.Stranded}}</td></tr>
</table>
<p>paid {{$.R.Scenario.Currency}} {{amount .PaidAmount}} · failed {{$.R.Scenario.Currency}} {{amount .FailedAmount}} · attempts {{.Attempts}} · status queries {{.StatusQueries}} · duplicate notifications ignored {{.DuplicateNotifications}}</p>{{end}}
{{with .R.Latency}}<p>checkout latency p50 {{ms .P50Ms}} · p90 {{ms .P90Ms}} · p99 {{ms .P99Ms}} · max {{ms .MaxMs}}</p>{{end}}
{{if .R.Providers}}
<h2>Providers</h2>
<table>
<tr><th>provider</th><th>share before</th><th>share during</th><th>attempts</th><th>captures</th><th>captured</th><th>fees</th><th>taken out</th></tr>
{{range .R.Providers}}<tr><td>{{.Name}}</td><td class="num">{{pct .ShareBefore}}</td><td class="num">{{pct .ShareDuring}}</td><td class="num">{{.Attempts}}</td><td class="num">{{.Captures}}</td><td class="num">{{amount .Captured}}</td><td class="num">{{amount .Fees}}</td><td class="num">{{.TakenOut}}</td></tr>
{{end}}</table>
{{end}}{{with limited .R}}
<h2>Contracted limits</h2>
<table>
<tr><th>provider</th><th>declined for limits</th><th>daily cap</th><th>busiest day</th><th>within cap</th></tr>
{{range .}}<tr><td>{{.Name}}</td><td class="num">{{.LimitDeclines}}</td><td class="num">{{amount .DailyCap}}</td><td class="num">{{amount .DailyPeak}}</td><td>{{withinCap .}}</td></tr>
{{end}}</table>
{{end}}{{range .R.Providers}}{{$p := .Name}}{{range .Reviews}}
<p>velocity review: {{$p}} under review at {{dur .AtS}}: {{.Cause}}</p>{{end}}{{end}}
<footer class="muted"><p>Generated by paydrill from the JSON report; every figure is in the report model.</p></footer>
</body>
</html>
`))
