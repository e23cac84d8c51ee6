package volume

import (
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

func TestRingSums(t *testing.T) {
	r := New(time.Minute)
	s := time.Second
	r.Add(5*s, 100)  // slot 0
	r.Add(15*s, 10)  // slot 1
	r.Add(19*s, 1)   // slot 1
	r.Add(65*s, 200) // slot 6
	for _, tt := range []struct {
		now, from, to time.Duration
		want          payment.Money
	}{
		{65 * s, 10 * s, 0, 200},      // the current slot only
		{65 * s, 60 * s, 10 * s, 11},  // slots 1..5: slot 0 is 60s before
		{65 * s, 70 * s, 10 * s, 111}, // slots 0..5
		{65 * s, 70 * s, 0, 311},
		{200 * s, 70 * s, 0, 0},           // all aged out: the ring cleared the skipped slots
		{3600 * s, 3600 * s, 3500 * s, 0}, // far later: nothing wraps around
	} {
		if got := r.Sum(tt.now, tt.from, tt.to); got != tt.want {
			t.Errorf("Sum(%s, %s, %s) = %s, want %s", tt.now, tt.from, tt.to, got, tt.want)
		}
	}
	r.Reset()
	if got := r.Sum(0, time.Minute, 0); got != 0 {
		t.Errorf("after Reset: %s, want 0", got)
	}
}
