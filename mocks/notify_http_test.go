package mocks

import (
	"testing"
)

// payOnce creates an async payment for order id and pays it.
func payOnce(t *testing.T, base, id, notifyURL string) {
	t.Helper()
	o := order1(id)
	o.NotifyURL = notifyURL
	_, _, b := call(t, "POST", base+PathPayments, o)
	v := decode[PaymentView](t, b)
	if code, _, b := call(t, "POST", v.PayURL, nil); code != 200 {
		t.Fatalf("pay %s: %d %s", id, code, b)
	}
}

func TestGenericNotificationFaults(t *testing.T) {
	faults := "  - {name: mute, type: notify_blackout, at: 1m, target: {providers: [pay]}}\n" +
		"  - {name: echo, type: notify_duplicate, at: 1m, target: {providers: [pay]}}\n"
	l, _ := liveOf(t, asyncPay, faults, "pay")
	rcv, got := receiver(t)
	h := NewHandler(l, testOptions("s"))
	srv := serveHandler(t, h)

	l.SetFault("echo", true)
	payOnce(t, srv.URL, "twice", rcv.URL)
	for range 2 {
		if n := decode[Notification](t, next(t, got).body); n.MerchantOrderID != "twice" {
			t.Fatalf("notification for %q, want twice", n.MerchantOrderID)
		}
	}
	l.SetFault("echo", false)

	// A lost notification: pay under a blackout, then a sentinel payment
	// with the same notification delay; the lost one would have come first.
	l.SetFault("mute", true)
	payOnce(t, srv.URL, "lost", rcv.URL)
	l.SetFault("mute", false)
	payOnce(t, srv.URL, "sentinel", rcv.URL)
	if n := decode[Notification](t, next(t, got).body); n.MerchantOrderID != "sentinel" {
		t.Errorf("notification for %q, want only the sentinel's", n.MerchantOrderID)
	}
	h.(interface{ Close() error }).Close() // waits for any notification being sent
	select {
	case r := <-got:
		t.Errorf("unexpected notification %s", r.body)
	default:
	}
	if a := l.Attempts(0); a[1].Hits != 1 || a[0].Hits != 2 {
		t.Errorf("attempt hits %d, %d, want 2 (echo), 1 (mute)", a[0].Hits, a[1].Hits)
	}
}
