package crash

import (
	"strings"
	"testing"
)

// A panic on a worker comes out of Wait with the worker's stack; the
// other workers still finish.
func TestGroupCarriesPanic(t *testing.T) {
	var g Group
	done := make(chan int, 2)
	g.Go(func() { done <- 1 })
	g.Go(func() { var m map[string]int; m["x"] = 1 })
	g.Go(func() { done <- 2 })
	defer func() {
		p := Recovered(recover())
		if !strings.Contains(p.Error(), "assignment to entry in nil map") || !strings.Contains(string(p.Stack), "crash_test.go") {
			t.Errorf("caught %v with stack:\n%s\nwant the nil-map panic and the worker's stack", p, p.Stack)
		}
		if len(done) != 2 {
			t.Errorf("%d other workers finished, want 2", len(done))
		}
	}()
	g.Wait()
	t.Fatal("Wait returned after a worker panicked")
}

// Without a panic, Wait just waits.
func TestGroupNoPanic(t *testing.T) {
	var g Group
	n := 0
	g.Go(func() { n++ })
	g.Wait()
	if n != 1 {
		t.Errorf("n = %d after Wait, want 1", n)
	}
}
