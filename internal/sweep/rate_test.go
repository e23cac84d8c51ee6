package sweep

import (
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

func TestLabel(t *testing.T) {
	t.Parallel()
	for _, in := range []struct{ text, want string }{
		{"1/min", "1/min"}, {"10/min", "10/min"}, {"1/s", "1/s"}, {"10/s", "10/s"}, {"100/h", "100/h"},
		{"120/min", "2/s"}, {"0.5/s", "30/min"}, {"7/h", "7/h"}, {"2.5/s", "150/min"}, {"0.5/h", "0.5/h"},
		{"1.5/h", "1.5/h"}, {"0", "0/s"},
	} {
		r, err := scenario.ParseRate(in.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := Label(r); got != in.want {
			t.Errorf("Label(%s) = %q, want %q", in.text, got, in.want)
		}
	}
}
