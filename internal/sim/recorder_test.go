package sim

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
)

// A recorder's series has a bucket for every moment of the traffic and the
// drain, the run's end included; a moment past it counts in the last
// bucket, one before the start in the first.
func TestRecorderBucket(t *testing.T) {
	s, err := scenario.Parse("book.yaml", []byte(bookYAML)) // 10m of traffic
	if err != nil {
		t.Fatal(err)
	}
	s.Drain, s.Bucket = scenario.Duration(time.Minute), scenario.Duration(10*time.Second)
	r := NewRecorder(s)
	if n := len(r.Series.Orders); n != 67 {
		t.Fatalf("%d buckets of 10s for 11m, want 67 (the run's end at 11m0s is in the 67th)", n)
	}
	for _, c := range []struct {
		at   time.Duration
		want int
	}{
		{-time.Second, 0}, {0, 0}, {9 * time.Second, 0}, {10 * time.Second, 1},
		{11 * time.Minute, 66}, {time.Hour, 66},
	} {
		if got := r.Bucket(c.at); got != c.want {
			t.Errorf("Bucket(%v) = %d, want %d", c.at, got, c.want)
		}
	}
}
