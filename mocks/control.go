package mocks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// LedgerView is GET /_paydrill/ledger: what the provider captured, amounts
// in minor units.
type LedgerView struct {
	Creates  int64 `json:"creates"`
	Captures int64 `json:"captures"`
	Amount   int64 `json:"amount"`
	Fees     int64 `json:"fees"`
	// Contracted limits: creates declined for them, the daily cap and the
	// highest volume accepted in one day (minor units; absent without limits).
	LimitDeclines int64 `json:"limit_declines,omitempty"`
	DailyCap      int64 `json:"daily_cap,omitempty"`
	DailyPeak     int64 `json:"daily_peak,omitempty"`
	// Reviews: each time a velocity review put the merchant under review.
	Reviews []ReviewTrip `json:"reviews,omitempty"`
}

// FaultView is one fault's switch, the answer of the fault endpoints.
type FaultView struct {
	Name string `json:"name"`
	On   bool   `json:"on"`
}

// control serves the control API (under /_paydrill/) for l: the drill
// switches faults and reads what the mock saw.
func control(mux *http.ServeMux, l *Live, setStart func(time.Time)) {
	if setStart != nil {
		mux.HandleFunc("POST "+PathClock, func(w http.ResponseWriter, r *http.Request) {
			var v ClockView
			if err := json.NewDecoder(io.LimitReader(r.Body, 1<<10)).Decode(&v); err != nil || v.StartUnixNano <= 0 {
				writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid", "",
					"clock: want {\"start_unix_nano\": N} with N > 0 (Unix nanoseconds)"))
				return
			}
			setStart(time.Unix(0, v.StartUnixNano))
			writeJSON(w, http.StatusOK, v)
		})
	}
	fault := func(on bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			name := r.PathValue("name")
			if !l.SetFault(name, on) {
				writeJSON(w, http.StatusNotFound, apiError("invalid_request_error", "resource_missing", "",
					"no fault "+strconv.Quote(name)+" targets "+l.Name()))
				return
			}
			writeJSON(w, http.StatusOK, FaultView{Name: name, On: on})
		}
	}
	mux.HandleFunc("POST "+PathFaultOn, fault(true))
	mux.HandleFunc("POST "+PathFaultOff, fault(false))
	mux.HandleFunc("GET "+PathFaults, func(w http.ResponseWriter, r *http.Request) {
		names := l.Faults()
		slices.Sort(names)
		out := make([]FaultView, len(names))
		for i, n := range names {
			out[i] = FaultView{Name: n, On: l.FaultOn(n)}
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET "+PathLedger, func(w http.ResponseWriter, r *http.Request) {
		lg := l.Ledger()
		writeJSON(w, http.StatusOK, LedgerView{Creates: lg.Creates, Captures: lg.Captures,
			Amount: int64(lg.Amount), Fees: int64(lg.Fees), LimitDeclines: lg.LimitDeclines,
			DailyCap: int64(lg.DailyCap), DailyPeak: int64(lg.DailyPeak), Reviews: lg.Reviews})
	})
	mux.HandleFunc("GET "+PathAttempts, func(w http.ResponseWriter, r *http.Request) {
		since := 0
		if s := r.URL.Query().Get("since"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "parameter_invalid", "",
					"attempts: since must be a non-negative integer"))
				return
			}
			since = n
		}
		a := l.Attempts(since)
		if a == nil {
			a = []Attempt{}
		}
		writeJSON(w, http.StatusOK, a)
	})
	mux.HandleFunc("POST "+PathReset, func(w http.ResponseWriter, r *http.Request) {
		l.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
}

// ClockView is the body of POST /_paydrill/clock: when scenario time 0
// is, in Unix nanoseconds on the mock's wall clock.
type ClockView struct {
	StartUnixNano int64 `json:"start_unix_nano"`
}

// PathClock sets when scenario time 0 is (ClockView).
const PathClock = "/_paydrill/clock"

// PathFaults lists the faults that target the provider and their switches.
const PathFaults = "/_paydrill/faults"

// PostClock tells the server at base (a mock, or the edge: both serve
// PathClock) that scenario time 0 is t.
func PostClock(c *http.Client, base string, t time.Time) error {
	b, _ := json.Marshal(ClockView{StartUnixNano: t.UnixNano()})
	resp, err := c.Post(base+PathClock, "application/json", bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("clock of %s: %w", base, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("clock of %s: status %d", base, resp.StatusCode)
	}
	return nil
}
