package measure

import "time"

// Conversion is the run's conversion over all orders: ΣPaid/ΣCreated, 0
// when no order was created.
func Conversion(s *Series) float64 {
	if s == nil {
		return 0
	}
	var created, paid int64
	for _, o := range s.Orders {
		created += o.Created
		paid += o.Paid
	}
	return ratio(paid, created)
}

// Shares returns each provider's share of first attempts over the buckets
// whose start lies in [from, to), in the order of s.Providers (or of
// s.Provider when it is longer). All shares are 0 when there were none.
func Shares(s *Series, from, to time.Duration) []float64 {
	if s == nil {
		return nil
	}
	out := make([]float64, providers(s))
	if s.Bucket <= 0 {
		return out
	}
	lo, hi := ceilDiv(from, s.Bucket), ceilDiv(to, s.Bucket)
	firsts := make([]int64, len(out))
	var total int64
	for p, buckets := range s.Provider {
		for i := max(lo, 0); i < min(hi, len(buckets)); i++ {
			firsts[p] += buckets[i].First
		}
		total += firsts[p]
	}
	for p := range out {
		out[p] = ratio(firsts[p], total)
	}
	return out
}

// ProviderTotals sums each provider's buckets over the whole run, in the
// order of s.Providers (or of s.Provider when it is longer).
func ProviderTotals(s *Series) []ProvBucket {
	if s == nil {
		return nil
	}
	out := make([]ProvBucket, providers(s))
	for p, buckets := range s.Provider {
		for _, pb := range buckets {
			out[p].First += pb.First
			out[p].Attempts += pb.Attempts
			out[p].Captures += pb.Captures
		}
	}
	return out
}

func providers(s *Series) int {
	return max(len(s.Providers), len(s.Provider))
}
