package drill

import (
	"time"

	"github.com/paydrill/paydrill/internal/measure"
	"github.com/paydrill/paydrill/reports"
)

// maxPoints bounds the points of each chart series.
const maxPoints = 720

// buildSeries computes the chart series of a run from its per-bucket
// record, over [0, end). Runs longer than maxPoints buckets are
// downsampled: k = ceil(buckets/maxPoints) consecutive buckets make one
// point, their counts summed (and latency sketches merged) before any
// ratio or quantile is taken. faults are the measured faults, for the
// moments of detection, fail-over and fail-back.
func buildSeries(ser *measure.Series, faults []reports.Fault, end, baseline time.Duration) *reports.Series {
	if ser == nil || ser.Bucket <= 0 || len(ser.Orders) == 0 {
		return nil
	}
	nb := min(int((end+ser.Bucket-1)/ser.Bucket), len(ser.Orders))
	if nb <= 0 {
		return nil
	}
	k := (nb + maxPoints - 1) / maxPoints
	np := (nb + k - 1) / k
	out := &reports.Series{BucketS: (time.Duration(k) * ser.Bucket).Seconds(), Downsample: k}
	span := func(p int) (int, int) { return p * k, min((p+1)*k, nb) }

	conv := make([]*float64, np)
	p50, p99 := make([]*float64, np), make([]*float64, np)
	for p := range np {
		lo, hi := span(p)
		out.StartS = append(out.StartS, (time.Duration(lo) * ser.Bucket).Seconds())
		var created, paid int64
		var sk measure.LatencySketch
		for b := lo; b < hi; b++ {
			created += ser.Orders[b].Created
			paid += ser.Orders[b].Paid
			if ser.Latency != nil {
				sk.Merge(&ser.Latency[b])
			}
		}
		conv[p] = ratio(paid, created)
		if sk.Count() > 0 {
			p50[p] = ptr(round(float64(sk.Quantile(0.5))/1e6, 3))
			p99[p] = ptr(round(float64(sk.Quantile(0.99))/1e6, 3))
		}
	}
	out.Conversion, out.LatencyP50Ms, out.LatencyP99Ms = conv, p50, p99

	// Baseline: orders created over the baseline before the first fault.
	bEnd := nb
	for _, f := range ser.Faults {
		bEnd = min(bEnd, int(f.Start/ser.Bucket))
	}
	bStart := 0
	if len(ser.Faults) > 0 {
		bStart = max(bEnd-int(baseline/ser.Bucket), 0)
	}
	var created, paid int64
	for b := bStart; b < bEnd; b++ {
		created += ser.Orders[b].Created
		paid += ser.Orders[b].Paid
	}
	if c := ratio(paid, created); c != nil {
		out.BaselineConversion = *c
	}

	for i, name := range ser.Providers {
		vals := make([]*float64, np)
		for p := range np {
			lo, hi := span(p)
			var first, all int64
			for b := lo; b < hi; b++ {
				first += ser.Provider[i][b].First
				for j := range ser.Provider {
					all += ser.Provider[j][b].First
				}
			}
			vals[p] = ratio(first, all)
		}
		out.Share = append(out.Share, reports.NamedSeries{Name: name, Values: vals})
	}

	for _, f := range ser.Faults {
		vals := make([]*float64, np)
		for p := range np {
			lo, hi := span(p)
			var hits, attempts int64
			for b := lo; b < hi; b++ {
				hits += f.Hits[b]
				attempts += f.Attempts[b]
			}
			vals[p] = ratio(hits, attempts)
		}
		out.FaultHits = append(out.FaultHits, reports.NamedSeries{Name: f.Name, Values: vals})
	}

	for _, f := range faults {
		for _, m := range []struct {
			kind string
			at   *float64
		}{{"detect", f.DetectS}, {"failover", f.FailoverS}, {"failback", f.FailbackS}} {
			if m.at == nil {
				continue
			}
			// Detection and fail-over count from the fault's start,
			// fail-back from its end.
			base := f.StartS
			if m.kind == "failback" {
				base = f.EndS
			}
			out.Marks = append(out.Marks, reports.Mark{Fault: f.Name, Kind: m.kind, AtS: round(base+*m.at, 3)})
		}
	}
	return out
}

// ratio is num/den rounded to 4 places, nil when den is 0.
func ratio(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	return ptr(round(float64(num)/float64(den), 4))
}

func ptr(v float64) *float64 { return &v }
