package shard

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		err  bool
	}{
		{"0/1", Spec{0, 1}, false}, {"7/8", Spec{7, 8}, false},
		{"8/8", Spec{}, true}, {"-1/8", Spec{}, true}, {"1", Spec{}, true}, {"a/b", Spec{}, true}, {"0/0", Spec{}, true}, {"0/10001", Spec{}, true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// Every item belongs to exactly one shard, and Items agrees with Owns.
func TestItemsPartition(t *testing.T) {
	for _, n := range []int{1, 2, 3, 8, 32} {
		for _, total := range []int{0, 1, 5, 400} {
			owner := make([]int, total)
			for i := range owner {
				owner[i] = -1
			}
			for i := range n {
				s := Spec{i, n}
				for _, k := range s.Items(total) {
					if owner[k] != -1 || !s.Owns(k) {
						t.Fatalf("%d/%d of %d: item %d owned by %d too, or Owns says no", i, n, total, k, owner[k])
					}
					owner[k] = i
				}
			}
			if slices.Contains(owner, -1) {
				t.Errorf("%d shards of %d items: an item belongs to none", n, total)
			}
		}
	}
}
