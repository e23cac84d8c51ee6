package traffic

import "testing"

// luhn reports whether number passes the Luhn check.
func luhn(number string) bool {
	sum, double := 0, false
	for i := len(number) - 1; i >= 0; i-- {
		c := number[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(number) > 0 && sum%10 == 0
}

func TestLuhn(t *testing.T) {
	for _, c := range []struct {
		number string
		want   bool
	}{{"4242424242424242", true}, {"4242424242424241", false}, {"79927398713", true}, {"79927398710", false}, {"abc", false}, {"", false}} {
		if got := luhn(c.number); got != c.want {
			t.Errorf("luhn(%q) = %v, want %v", c.number, got, c.want)
		}
	}
}

func TestTestCardsPassLuhn(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range TestCards {
		if !luhn(n) {
			t.Errorf("test card %s fails the Luhn check", n)
		}
		if seen[n] {
			t.Errorf("test card %s listed twice", n)
		}
		seen[n] = true
	}
}
