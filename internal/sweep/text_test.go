package sweep

import (
	"bytes"
	"testing"

	"github.com/paydrill/paydrill/internal/golden"
)

func TestWriteText(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    func() *Result
	}{
		{"table.txt", handMade},
		{"interrupted.txt", func() *Result {
			r := handMade()
			r.Cells[3].Interrupted, r.Interrupted = true, true
			return r
		}},
	} {
		var b bytes.Buffer
		if err := WriteText(&b, Summary(tc.r(), 0)); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, tc.name, b.Bytes())
	}
}

// The JSON keys are a contract: the golden file shows them all.
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Summary(handMade(), 0)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "table.json", b.Bytes())
}
