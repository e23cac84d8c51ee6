package seed

import "testing"

func TestStreamReproducibleAndIndependent(t *testing.T) {
	a1, a2 := Stream(7, "arrivals"), Stream(7, "arrivals")
	b := Stream(7, "buyers")
	c := Stream(8, "arrivals")
	same, diffName, diffSeed := true, true, true
	for range 100 {
		x, y := a1.Uint64(), a2.Uint64()
		if x != y {
			same = false
		}
		if x == b.Uint64() {
			diffName = false
		}
		if x == c.Uint64() {
			diffSeed = false
		}
	}
	if !same {
		t.Error("Stream(7, arrivals) twice gave different draws")
	}
	if !diffName {
		t.Error("streams arrivals and buyers shared a draw")
	}
	if !diffSeed {
		t.Error("seeds 7 and 8 shared a draw")
	}
}
