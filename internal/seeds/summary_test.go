package seeds

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/reports"
)

// rows makes n seeds of which the first held hold the one expectation, the
// next inconclusive could not decide it and the rest failed it.
func rows(n, held, inconclusive int) *reports.Seeds {
	r := &reports.Seeds{Confidence: 0.9, Faults: []reports.SeedsFault{{Name: "f"}},
		Expectations: []reports.SeedsExpectation{{Name: "failover_within", Fault: "f", Want: "<= 10m0s", WantValue: 600}}}
	for i := range n {
		o, t := reports.Fail, (*float64)(nil)
		switch {
		case i < held:
			o, t = reports.Pass, ptrTo(float64(60*(i+1)))
		case i < held+inconclusive:
			o = reports.Inconclusive
		}
		r.PerSeed = append(r.PerSeed, reports.SeedRun{Seed: uint64(i + 1), DetectS: []*float64{t}, FailoverS: []*float64{t}, Outcomes: []string{o}})
	}
	return r
}

func ptrTo(v float64) *float64 { return &v }

// The share of seeds within a limit decides by its interval against the
// confidence: PASS above, FAIL below, inconclusive across.
func TestSummarizeJudgesTheShareByItsInterval(t *testing.T) {
	for _, tc := range []struct {
		name               string
		n, held, undecided int
		want               string
	}{
		{"40 of 40 clear 90%", 40, 40, 0, reports.Pass},
		{"30 of 30 do not yet (interval 88.6-100%)", 30, 30, 0, reports.Inconclusive},
		{"36 of 40 straddle 90%", 40, 36, 0, reports.Inconclusive},
		{"28 of 40 are below 90%", 40, 28, 0, reports.Fail},
		{"40 held but 4 undecided may be below", 44, 40, 4, reports.Inconclusive},
		{"no seed", 0, 0, 0, reports.Inconclusive},
	} {
		r := rows(tc.n, tc.held, tc.undecided)
		Summarize(r)
		if r.Verdict != tc.want {
			t.Errorf("%s: verdict %s, want %s (%+v)", tc.name, r.Verdict, tc.want, r.Expectations)
		}
	}
	r := rows(10, 9, 0)
	Summarize(r)
	f := r.Faults[0].Failover
	// Nine seeds at 1..9 minutes and one never: the median is the 5th (5m),
	// p90 the 9th (9m), p95 and worst fall on the never.
	if *f.MedianS != 300 || *f.P90S != 540 || f.P95S != nil || f.WorstS != nil || f.Never != 1 {
		t.Errorf("distribution %+v, want median 5m, p90 9m, p95 and worst never", f)
	}
}

// Every format of a multi-seed result says what it decided; JSON reads
// back whole, JUnit marks an undecided expectation skipped with its reason.
func TestSeedsRenderers(t *testing.T) {
	r := rows(40, 36, 0)
	r.Scenario = reports.Scenario{Name: "d", Router: "health"}
	r.Version = "v1.2.3 0123456789ab"
	Summarize(r)
	var js, md, ju, txt, html bytes.Buffer
	for _, w := range []error{reports.WriteSeedsJSON(&js, r), reports.WriteSeedsMarkdown(&md, r),
		reports.WriteSeedsJUnit(&ju, r), reports.WriteSeedsText(&txt, r), reports.WriteSeedsHTML(&html, r)} {
		if w != nil {
			t.Fatal(w)
		}
	}
	back, err := reports.ReadSeedsJSON(&js)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	for name, want := range map[string][]string{
		"markdown": {"over 40 seeds: INCONCLUSIVE", "❔ **inconclusive**", "36/40", "paydrill `v1.2.3 0123456789ab`"},
		"text":     {"INCONCLUSIVE  failover_within (f)", "held 36/40", "Verdict: INCONCLUSIVE", "paydrill v1.2.3 0123456789ab\n"},
		"html":     {"<svg", "36 of 36+4+0", "inconclusive", "paydrill <code>v1.2.3 0123456789ab</code>"},
		"junit":    {`<property name="paydrill_version" value="v1.2.3 0123456789ab">`},
	} {
		got := map[string]string{"markdown": md.String(), "text": txt.String(), "html": html.String(), "junit": ju.String()}[name]
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, got)
			}
		}
	}
	var doc struct {
		Suites []struct {
			Skipped int `xml:"skipped,attr"`
			Cases   []struct {
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if s := doc.Suites[0]; s.Skipped != 1 || s.Cases[0].Skipped == nil || !strings.Contains(s.Cases[0].Skipped.Message, "straddles the 90%") {
		t.Errorf("JUnit %+v, want the expectation skipped with its reason", doc)
	}
}
