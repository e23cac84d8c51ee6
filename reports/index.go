package reports

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// IndexEntry is one drill of an index page: its report and the pages
// written for it, relative to the index.
type IndexEntry struct {
	Report   *Report
	HTML     string
	Markdown string
}

// WriteIndex writes a self-contained HTML page linking the drills' pages:
// a row per drill with its verdict, per fault the first-screen answer
// (failed over in X, target and outcome), the reasons of a drill that did
// not pass, router, seed and conversion.
func WriteIndex(w io.Writer, entries []IndexEntry) error {
	fail := 0
	for _, e := range entries {
		if e.Report.Verdict == Fail {
			fail++
		}
	}
	return indexTemplate.Execute(w, struct {
		Entries []IndexEntry
		Failed  int
	}{entries, fail})
}

var indexTemplate = template.Must(template.New("index").Funcs(htmlFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>paydrill drills: {{len .Entries}} run, {{.Failed}} failed</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.verdict{padding:.1rem .5rem;border-radius:4px;color:#fff;font-weight:bold}
.pass{background:#2c8a2c}.fail{background:#c62828}.invalid{background:#6a1b9a}.inconclusive{background:#8a6d00}
.reasons{color:#c62828;margin:.2rem 0;padding-left:1.2rem}
</style>
</head>
<body>
<h1>paydrill drills</h1>
<p>{{len .Entries}} drills, {{.Failed}} failed.</p>
<table>
<tr><th>drill</th><th>verdict</th><th>fail over per fault, and why a drill did not pass</th><th>router</th><th>seed</th><th>conversion</th><th>pages</th></tr>
{{range .Entries}}{{with .Report}}<tr><td>{{.Scenario.Name}}</td><td><span class="verdict {{.Verdict}}">{{upper .Verdict}}</span>{{range .Warnings}}<br>WARNING: {{.}}{{end}}</td>
<td>{{range answers .}}{{with .Outcome}}<span class="verdict {{.}}">{{upper .}}</span> {{end}}{{.Fault}}: {{.Text}}<br>{{end}}{{with reasons .}}<ul class="reasons">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</td>
<td>{{.Scenario.Router}}</td><td>{{.Scenario.Seed}}</td><td>{{pct .Orders.Conversion}}</td>{{end}}
<td>{{with .HTML}}<a href="{{.}}">HTML</a>{{end}} {{with .Markdown}}<a href="{{.}}">Markdown</a>{{end}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// WriteMarkdownIndex writes the Markdown page of a run of several drills
// (for a CI job summary): how many failed, then a row per drill with its
// verdict and, per fault, the first-screen answer, then the reasons of
// every drill that did not pass.
func WriteMarkdownIndex(w io.Writer, entries []IndexEntry) error {
	b := &strings.Builder{}
	fail := 0
	for _, e := range entries {
		if !e.Report.Passed() {
			fail++
		}
	}
	mark := "✅"
	if fail > 0 {
		mark = "❌"
	}
	fmt.Fprintf(b, "## %s paydrill: %d drills, %d did not pass\n\n", mark, len(entries), fail)
	b.WriteString("| drill | verdict | fail over per fault | router | seed |\n| --- | --- | --- | --- | --- |\n")
	for _, e := range entries {
		r := e.Report
		name := mdEscape(r.Scenario.Name)
		if e.Markdown != "" {
			name = fmt.Sprintf("[%s](%s)", name, e.Markdown)
		}
		var answers []string
		for _, a := range Answers(r) {
			answers = append(answers, mdEscape(a.Fault+": "+a.Text))
		}
		fmt.Fprintf(b, "| %s | %s | %s | `%s` | `%d` |\n", name, verdictMark(r.Verdict), strings.Join(answers, "<br>"), r.Scenario.Router, r.Scenario.Seed)
	}
	for _, e := range entries {
		if e.Report.Passed() {
			continue
		}
		fmt.Fprintf(b, "\n**%s**: %s\n\n", mdEscape(e.Report.Scenario.Name), verdictMark(e.Report.Verdict))
		for _, why := range Reasons(e.Report) {
			fmt.Fprintf(b, "- %s\n", mdEscape(why))
		}
		fmt.Fprintf(b, "\nReproduce: `%s`\n", e.Report.Reproduce)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// verdictMark writes a verdict for Markdown: each outcome its own mark.
func verdictMark(v string) string {
	switch v {
	case "pass":
		return "✅ PASS"
	case "fail":
		return "❌ **FAIL**"
	case "inconclusive":
		return "❔ **INCONCLUSIVE**"
	case "invalid":
		return "⚠️ **INVALID**"
	}
	return "**" + strings.ToUpper(v) + "**"
}
