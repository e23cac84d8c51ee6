package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// The first screen of the HTML report: the verdict, then per fault the
// answer with its target and outcome, then the reasons of a failure, all
// before the scenario details, the charts and the fault cards.
func TestHTMLFirstScreenOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		router, verdict, answer string
		reasons                 []string
	}{
		{"health", "PASS", "<b>alpha-frozen</b>: failed over in ", nil},
		{"static", "FAIL", "<b>alpha-frozen</b>: never failed over",
			[]string{"FAIL: failover_within (alpha-frozen): want &lt;= 10m0s, got never"}},
	} {
		t.Run(tc.router, func(t *testing.T) {
			t.Parallel()
			r := seededRun(t, "merchant-freeze", tc.router)
			var b bytes.Buffer
			if err := reports.WriteHTML(&b, r); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			v := strings.ToLower(tc.verdict)
			order := []string{
				`<h1>paydrill merchant-freeze <span class="verdict ` + v + `">` + tc.verdict + `</span></h1>`,
				`<section id="answer">`,
				`<span class="verdict ` + v + `">` + tc.verdict + `</span> ` + tc.answer,
				"(target ≤ 10m)",
			}
			order = append(order, tc.reasons...)
			order = append(order, "</section>", "Reproduce:", "<svg", `<h2>Faults</h2>`, `<h2>Expectations</h2>`)
			at := 0
			for _, want := range order {
				i := strings.Index(page[at:], want)
				if i < 0 {
					t.Fatalf("%q missing, or not after the elements before it, in the page:\n%s", want, page[:min(len(page), 3000)])
				}
				at += i + len(want)
			}
		})
	}
}

// The Markdown report opens with the same answer.
func TestMarkdownFirstScreen(t *testing.T) {
	t.Parallel()
	r := seededRun(t, "merchant-freeze", "static")
	var b bytes.Buffer
	if err := reports.WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) < 6 || lines[2] != "❌ **FAIL** **alpha-frozen**: never failed over (target ≤ 10m)" ||
		!strings.HasPrefix(lines[4], "- FAIL: failover_within (alpha-frozen)") {
		t.Errorf("the Markdown does not open with the answer and the reason:\n%s", strings.Join(lines[:min(8, len(lines))], "\n"))
	}
}
