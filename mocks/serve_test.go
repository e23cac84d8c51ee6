package mocks

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeScenario(t *testing.T) {
	faults := "  - {name: gaming-frozen, type: suspend, at: 1m, target: {tag: gaming}}\n"
	s := scenarioOf(t, syncAlpha+syncBeta+asyncPay, faults)
	for _, onePort := range []bool{false, true} {
		name := map[bool]string{false: "port per provider", true: "one port"}[onePort]
		t.Run(name, func(t *testing.T) {
			m, err := ServeScenario(s, ServeOptions{Scale: 1000, OnePort: onePort, Secret: []byte("s")})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			urls := m.Providers()
			if len(urls) != 3 || urls["alpha"] == urls["beta"] {
				t.Fatalf("providers %v", urls)
			}
			if onePort && !strings.HasSuffix(urls["beta"], "/beta") {
				t.Errorf("one port: beta at %s, want .../beta", urls["beta"])
			}
			for _, p := range []string{"alpha", "beta"} {
				code, _, b := call(t, "POST", urls[p]+PathPayments, order1("o-"+p))
				if v := decode[PaymentView](t, b); code != 201 || v.ID != "pay_"+p+"_1" {
					t.Errorf("%s: create %d %s, want 201 pay_%s_1", p, code, b, p)
				}
			}
			_, _, b := call(t, "POST", urls["pay"]+PathPayments, order1("o-pay"))
			v := decode[PaymentView](t, b)
			if !strings.HasPrefix(v.PayURL, urls["pay"]+"/pay/") {
				t.Errorf("pay_url %q not under %s", v.PayURL, urls["pay"])
			}
			if code, _, b := call(t, "POST", v.PayURL, nil); code != http.StatusOK {
				t.Errorf("pay: %d %s", code, b)
			}
			if lg := m.Live("pay").Ledger(); lg.Captures != 1 {
				t.Errorf("pay captured %d, want 1", lg.Captures)
			}

			if err := m.SetFault("gaming-frozen", true); err != nil {
				t.Fatal(err)
			}
			for p, want := range map[string]int{"alpha": 402, "beta": 201, "pay": 402} {
				if code, _, b := call(t, "POST", urls[p]+PathPayments, order1("o-2")); code != want {
					t.Errorf("%s with gaming-frozen on: %d %s, want %d", p, code, b, want)
				}
			}
			if err := m.SetFault("nope", true); err == nil || !strings.Contains(err.Error(), "gaming-frozen") {
				t.Errorf("SetFault(nope): %v, want an error listing the faults", err)
			}
			if code, _, _ := call(t, "GET", urls["beta"]+PathLedger, nil); code != 200 {
				t.Errorf("control API of beta: %d", code)
			}
		})
	}
	if _, err := ServeScenario(s, ServeOptions{Protocol: "soap"}); err == nil {
		t.Error("unknown protocol accepted")
	}
}

// A mock in a container serves one provider, links its pay pages to its
// network alias, and takes the drill's epoch through POST /_paydrill/clock:
// attempts are then timed on the drill's clock.
func TestServeOneProviderOnTheDrillsClock(t *testing.T) {
	s := scenarioOf(t, syncAlpha+asyncPay, "")
	wall := time.Unix(1000, 0)
	m, err := ServeScenario(s, ServeOptions{Only: []string{"pay"}, Clock: func() time.Time { return wall },
		Advertise: map[string]string{"pay": "http://mock-pay:8080"}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	urls := m.Providers()
	if len(urls) != 1 || urls["pay"] == "" {
		t.Fatalf("providers %v, want pay only", urls)
	}
	if code, _, b := call(t, "POST", urls["pay"]+PathClock, ClockView{StartUnixNano: 990000000000}); code != 200 {
		t.Fatalf("clock: %d %s", code, b)
	}
	_, _, b := call(t, "POST", urls["pay"]+PathPayments, order1("o-1"))
	if v := decode[PaymentView](t, b); !strings.HasPrefix(v.PayURL, "http://mock-pay:8080/pay/") {
		t.Errorf("pay_url %q, want under the advertised http://mock-pay:8080", v.PayURL)
	}
	if a := m.Live("pay").Attempts(0); len(a) != 1 || a[0].At != 10*time.Second {
		t.Errorf("attempts %+v, want one at 10s (epoch 10s before the clock)", a)
	}
	if code, _, _ := call(t, "POST", urls["pay"]+PathClock, ClockView{}); code != 400 {
		t.Errorf("clock without a start: %d, want 400", code)
	}
	if _, err := ServeScenario(s, ServeOptions{Only: []string{"nope"}}); err == nil {
		t.Error("serving an unknown provider accepted")
	}
}

// A toxic the models have no timing for (bandwidth, slow_close) switches
// without error and without effect outside a container drill; an unknown
// fault is still an error.
func TestSetFaultWithoutModel(t *testing.T) {
	s := scenarioOf(t, syncAlpha, "  - {name: thin, type: toxic, toxic: bandwidth, attributes: {rate: 10}, at: 1m, target: {providers: [alpha]}}\n")
	m, err := ServeScenario(s, ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.SetFault("thin", true); err != nil {
		t.Errorf("SetFault(thin): %v, want nil", err)
	}
	if err := m.SetFault("thick", true); err == nil {
		t.Error("SetFault(thick) of no fault: nil, want an error")
	}
}
