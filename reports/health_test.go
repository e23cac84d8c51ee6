package reports_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
)

// An invalid wall-clock run says so, with the reason and the time scale to
// try, in the first lines of every format, and in the JSON.
func TestHealthInFirstLines(t *testing.T) {
	r := *seededRun(t, "merchant-freeze", "health")
	r.Verdict = "invalid"
	r.Health = &reports.Health{Reason: "write lag p99 7m38.58s > 2.5s", SuggestedTimeScale: 10,
		Checks: []reports.HealthCheck{{Name: "write_lag", Got: "7m38.58s", Limit: "<= 2.5s", Measured: true}}}
	var text, md, html, js bytes.Buffer
	if err := reports.WriteText(&text, &r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteMarkdown(&md, &r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteHTML(&html, &r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteJSON(&js, &r); err != nil {
		t.Fatal(err)
	}
	first := func(b bytes.Buffer, n int) string {
		return strings.Join(strings.SplitN(b.String(), "\n", n+1)[:n], "\n")
	}
	for name, head := range map[string]string{"text": first(text, 5), "markdown": first(md, 8), "html": first(html, 40)} {
		for _, want := range []string{"INVALID", "write lag p99 7m38.58s", "lower --time-scale to 10"} {
			if !strings.Contains(head, want) {
				t.Errorf("%s report: first lines lack %q:\n%s", name, want, head)
			}
		}
	}
	var back struct {
		Verdict string          `json:"verdict"`
		Health  *reports.Health `json:"health"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Verdict != "invalid" || back.Health == nil ||
		back.Health.SuggestedTimeScale != 10 || len(back.Health.Checks) != 1 {
		t.Errorf("JSON: verdict %q, health %+v, err %v; want invalid with the suggested scale and checks", back.Verdict, back.Health, err)
	}
}
