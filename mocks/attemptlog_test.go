package mocks

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// TestAttemptLogKeepsEveryAttempt holds the chunked log to a plain slice
// of Attempt across record and order-id chunk boundaries (an id longer
// than an id chunk included), updated in place as Pay does.
func TestAttemptLogKeepsEveryAttempt(t *testing.T) {
	var g attemptLog
	var want []Attempt
	for i := range 3*logChunk + 7 {
		id := "order-" + strconv.Itoa(i)
		if i == logChunk+3 {
			id = strings.Repeat("x", idChunkLen+5)
		}
		st := payment.Status(i % 4)
		a := Attempt{At: time.Duration(i) * time.Millisecond, OrderID: id, Provider: "alpha",
			Status: st.String(), Hits: uint64(i % 3), Captured: i%5 == 0}
		if k := g.add(a.At, a.OrderID, st, a.Hits, a.Captured); k != i {
			t.Fatalf("record %d added at index %d", i, k)
		}
		want = append(want, a)
	}
	for _, i := range []int{0, logChunk - 1, logChunk, 2*logChunk + 1} {
		r := g.at(i)
		r.captured, r.hits = true, r.hits|8
		want[i].Captured, want[i].Hits = true, want[i].Hits|8
	}
	if g.len() != len(want) {
		t.Fatalf("len %d, want %d", g.len(), len(want))
	}
	for _, since := range []int{0, 1, logChunk, len(want) - 1} {
		if got := g.attempts(since, "alpha"); !reflect.DeepEqual(got, want[since:]) {
			t.Fatalf("attempts(%d) differ from the slice's (%d vs %d records)", since, len(got), len(want[since:]))
		}
	}
	if got := g.attempts(len(want), "alpha"); got != nil {
		t.Fatalf("attempts past the end: %v, want nil", got)
	}
}
