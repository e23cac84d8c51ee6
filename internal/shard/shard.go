// Package shard splits a batch of deterministic runs (seeds, or the
// cells × seeds of a sweep, or the routers of a comparison) into N
// disjoint parts, and carries each part's result in a versioned partial
// file from which the whole can be merged exactly.
//
// The split depends on nothing but the work list: item k (in the order a
// single process would run them) belongs to shard k mod N. Round robin
// rather than contiguous blocks because a sweep's items are ordered by
// rate and a run's cost grows with its rate: blocks would hand one shard
// every expensive cell.
package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxShards bounds N: more shards than that is a typo, not a plan.
const MaxShards = 10_000

// Spec is one shard: Index of Count, 0 <= Index < Count.
type Spec struct {
	Index, Count int
}

// Parse reads "I/N" (I from 0, as Kubernetes' JOB_COMPLETION_INDEX).
func Parse(v string) (Spec, error) {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Spec{}, fmt.Errorf("--shard %q: want I/N, like 0/8 (I from 0 to N-1)", v)
	case n < 1 || n > MaxShards:
		return Spec{}, fmt.Errorf("--shard %q: N must be 1 to %d", v, MaxShards)
	case i < 0 || i >= n:
		return Spec{}, fmt.Errorf("--shard %q: I must be 0 to %d (the index counts from 0)", v, n-1)
	}
	return Spec{Index: i, Count: n}, nil
}

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Owns reports whether item k of the work list belongs to this shard.
func (s Spec) Owns(k int) bool { return k%s.Count == s.Index }

// Items lists the items of a work list of total items this shard owns,
// ascending. A shard may own none (more shards than items).
func (s Spec) Items(total int) []int {
	var out []int
	for k := s.Index; k < total; k += s.Count {
		out = append(out, k)
	}
	return out
}
