package replay_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/replay"
)

// TestSurvey: Survey counts the orders as a run reads them: retries of an
// intent passed over, times after start and speed, methods and currencies
// only before until (an empty value counted as its default), and the
// file's whole span whatever until is. A looped source's Loop is ignored.
func TestSurvey(t *testing.T) {
	path := write(t, "s.csv", "time,amount,intent,method,currency\n"+
		"100,100,a,card,CNY\n110,100,a,card,CNY\n120,200,b,alipay,CNY\n130,300,c,,CNY\n140,300,d,alipay,\n200,400,e,wechat,EUR\n")
	m := replay.Mapping{}
	for f, c := range map[replay.Field]string{replay.Time: "time", replay.Amount: "amount", replay.Intent: "intent",
		replay.Method: "method", replay.Currency: "currency"} {
		m.Set(f, c)
	}
	opt := replay.SourceOptions{Options: replay.Options{Mapping: m}, Speed: 2, Loop: true, Currency: "USD"}
	got, err := replay.Survey(path, opt, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := replay.Summary{Orders: 5, Within: 4, Until: 30 * time.Second, First: 0, Last: 50 * time.Second, LastWithin: 20 * time.Second,
		Methods:    map[string]int64{"card": 2, "alipay": 2},
		Currencies: map[string]int64{"CNY": 3, "USD": 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Survey (-want +got):\n%s", diff)
	}
	if keys := replay.Sorted(map[string]int64{"b": 2, "a": 2, "c": 5}); !cmp.Equal(keys, []string{"c", "a", "b"}) {
		t.Errorf("Sorted = %v, want the largest count first, ties by name", keys)
	}
}
