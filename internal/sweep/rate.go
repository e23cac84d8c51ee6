package sweep

import (
	"math"
	"strconv"

	"github.com/paydrill/paydrill/internal/scenario"
)

// Label writes a rate for people: in the first of /s, /min, /h in which
// it is a whole number of at least 1 (10/min, not 0.1667/s), else as
// scenario.Rate.String does, to six significant digits.
func Label(r scenario.Rate) string {
	v := float64(r)
	if v > 0 {
		for _, u := range []struct {
			per  float64
			unit string
		}{{1, "/s"}, {60, "/min"}, {3600, "/h"}} {
			n := v * u.per
			if n >= 1 && math.Abs(n-math.Round(n)) < 1e-9*n {
				return strconv.FormatFloat(math.Round(n), 'f', -1, 64) + u.unit
			}
		}
	}
	switch {
	case v == 0:
		return "0/s"
	case v >= 1:
		return strconv.FormatFloat(v, 'g', 6, 64) + "/s"
	case v*60 >= 1:
		return strconv.FormatFloat(v*60, 'g', 6, 64) + "/min"
	default:
		return strconv.FormatFloat(v*3600, 'g', 6, 64) + "/h"
	}
}
