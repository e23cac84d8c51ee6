package mocks

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestControlAPI(t *testing.T) {
	faults := "  - {name: frozen, type: suspend, at: 1m, target: {providers: [alpha]}}\n" +
		"  - {name: elsewhere, type: outage, at: 1m, target: {providers: [beta]}}\n"
	l, _ := liveOf(t, syncAlpha+syncBeta, faults, "alpha")
	srv := serveHandler(t, NewHandler(l, testOptions("s")))

	if code, _, _ := call(t, "POST", srv.URL+"/_paydrill/faults/elsewhere/on", nil); code != http.StatusNotFound {
		t.Errorf("fault of another provider: %d, want 404", code)
	}
	if code, _, _ := call(t, "POST", srv.URL+"/_paydrill/faults/nope/off", nil); code != http.StatusNotFound {
		t.Errorf("unknown fault: %d, want 404", code)
	}
	call(t, "POST", srv.URL+PathPayments, order1("o-1"))
	_, _, b := call(t, "POST", srv.URL+"/_paydrill/faults/frozen/on", nil)
	if diff := cmp.Diff(FaultView{Name: "frozen", On: true}, decode[FaultView](t, b)); diff != "" {
		t.Errorf("fault on (-want +got):\n%s", diff)
	}
	_, _, b = call(t, "GET", srv.URL+PathFaults, nil)
	if diff := cmp.Diff([]FaultView{{Name: "frozen", On: true}}, decode[[]FaultView](t, b)); diff != "" {
		t.Errorf("faults (-want +got):\n%s", diff)
	}
	call(t, "POST", srv.URL+PathPayments, order1("o-2"))

	_, _, b = call(t, "GET", srv.URL+PathLedger, nil)
	if diff := cmp.Diff(LedgerView{Creates: 2, Captures: 1, Amount: 1250}, decode[LedgerView](t, b)); diff != "" {
		t.Errorf("ledger (-want +got):\n%s", diff)
	}
	_, _, b = call(t, "GET", srv.URL+PathAttempts+"?since=1", nil)
	want := []Attempt{{OrderID: "o-2", Provider: "alpha", Status: "declined", Hits: 1}}
	if diff := cmp.Diff(want, decode[[]Attempt](t, b)); diff != "" {
		t.Errorf("attempts since 1 (-want +got):\n%s", diff)
	}
	if code, _, _ := call(t, "GET", srv.URL+PathAttempts+"?since=-1", nil); code != http.StatusBadRequest {
		t.Errorf("since=-1: %d, want 400", code)
	}

	if code, _, _ := call(t, "POST", srv.URL+PathReset, nil); code != http.StatusNoContent {
		t.Errorf("reset: %d, want 204", code)
	}
	_, _, b = call(t, "GET", srv.URL+PathAttempts, nil)
	if string(b) != "[]\n" {
		t.Errorf("attempts after reset: %s, want []", b)
	}
	if code, _, b := call(t, "POST", srv.URL+PathPayments, order1("o-3")); code != http.StatusCreated {
		t.Errorf("create after reset (faults off): %d %s", code, b)
	}
}
