package seeds

import (
	"fmt"
	"math"
	"slices"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/reports"
)

// Summarize fills the figures of r from its PerSeed rows, its faults'
// names and its expectations' keys: the distributions, the shares with
// their intervals, the outcomes and the verdict. It reads nothing else,
// so partial results concatenated in seed order summarise to what one
// run of all their seeds would.
func Summarize(r *reports.Seeds) {
	r.Runs = len(r.PerSeed)
	r.Seeds = r.Seeds[:0]
	for _, row := range r.PerSeed {
		r.Seeds = append(r.Seeds, row.Seed)
	}
	for i := range r.Faults {
		var detect, failover []*float64
		for _, row := range r.PerSeed {
			detect = append(detect, at(row.DetectS, i))
			failover = append(failover, at(row.FailoverS, i))
		}
		r.Faults[i].Detect, r.Faults[i].Failover = distOf(detect), distOf(failover)
	}
	r.Verdict = reports.Pass
	for i := range r.Expectations {
		e := &r.Expectations[i]
		e.Held, e.Failed, e.Inconclusive, e.NotApplicable = 0, 0, 0, 0
		for _, row := range r.PerSeed {
			o := reports.NotApplicable
			if i < len(row.Outcomes) {
				o = row.Outcomes[i]
			}
			switch o {
			case reports.Pass:
				e.Held++
			case reports.Fail:
				e.Failed++
			case reports.Inconclusive:
				e.Inconclusive++
			default:
				e.NotApplicable++
			}
		}
		judge(e, r.Confidence)
		switch {
		case e.Outcome == reports.Fail:
			r.Verdict = reports.Fail
		case e.Outcome == reports.Inconclusive && r.Verdict == reports.Pass:
			r.Verdict = reports.Inconclusive
		}
	}
	if r.Runs == 0 {
		r.Verdict = reports.Inconclusive
	}
}

// judge sets an expectation's share, its 95% interval and its outcome
// against the confidence c: PASS when even counting every inconclusive
// seed as failed the interval's low end clears c, FAIL when even counting
// them as held its high end is below c, inconclusive otherwise.
func judge(e *reports.SeedsExpectation, c float64) {
	n := int64(e.Held + e.Failed + e.Inconclusive)
	e.Reason = ""
	if n == 0 {
		e.Share, e.Low, e.High, e.Outcome = 0, 0, 0, reports.NotApplicable
		e.Reason = "it applied to no seed"
		return
	}
	held := int64(e.Held)
	e.Share = round(float64(held)/float64(n), 4)
	low, _, _ := measure.Wilson(held, n)
	_, high, _ := measure.Wilson(held+int64(e.Inconclusive), n)
	e.Low, e.High = round(low, 4), round(high, 4)
	switch {
	case low >= c:
		e.Outcome = reports.Pass
	case high < c:
		e.Outcome = reports.Fail
	default:
		e.Outcome = reports.Inconclusive
		e.Reason = fmt.Sprintf("held in %d of %d seeds (%.1f%%, 95%% interval %.1f–%.1f%%): the interval straddles the %.0f%% required",
			held, n, 100*e.Share, 100*e.Low, 100*e.High, 100*c)
		if e.Inconclusive > 0 {
			e.Reason += fmt.Sprintf("; %d seeds could not be judged", e.Inconclusive)
		}
		if need := seedsNeeded(e.Share, c); need > int(n) {
			e.Reason += fmt.Sprintf("; about %d seeds would decide it if the share holds", need)
		}
	}
}

// seedsNeeded is roughly how many seeds put a share p 1.96 standard errors
// away from c; 0 when p is c.
func seedsNeeded(p, c float64) int {
	d := math.Abs(p - c)
	if d < 1e-9 {
		return 0
	}
	q := max(p*(1-p), 1/float64(400)) // a share of 0 or 1 still has some spread
	return int(math.Ceil(3.84 * q / (d * d)))
}

// distOf is the distribution of a time over seeds, a never counted as
// later than any time.
func distOf(v []*float64) reports.Dist {
	var d reports.Dist
	var got []float64
	for _, x := range v {
		if x == nil {
			d.Never++
			continue
		}
		got = append(got, *x)
	}
	d.Reached = len(got)
	if len(v) == 0 {
		return d
	}
	slices.Sort(got)
	q := func(p float64) *float64 {
		k := max(int(math.Ceil(p*float64(len(v))))-1, 0) // nearest rank
		if k >= len(got) {
			return nil
		}
		x := got[k]
		return &x
	}
	d.MedianS, d.P90S, d.P95S = q(0.5), q(0.9), q(0.95)
	if d.Never == 0 && len(got) > 0 {
		w := got[len(got)-1]
		d.WorstS = &w
	}
	return d
}

func at(v []*float64, i int) *float64 {
	if i < len(v) {
		return v[i]
	}
	return nil
}

func round(v float64, places int) float64 {
	k := math.Pow(10, float64(places))
	return math.Round(v*k) / k
}
