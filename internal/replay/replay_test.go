package replay_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// write puts content in a file of the test's temp dir and returns its path.
func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// drain reads every order of a source.
func drain(t *testing.T, src interface{ Next(*payment.Order) bool }, limit time.Duration) []payment.Order {
	t.Helper()
	var out []payment.Order
	var o payment.Order
	for src.Next(&o) && o.Created < limit {
		out = append(out, o)
	}
	return out
}

func library(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	data, err := scenarios.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("builtin:"+name, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRecordReplayRoundTrip: the orders a scenario's synthetic traffic
// makes, recorded and replayed, come back identical, in both formats.
func TestRecordReplayRoundTrip(t *testing.T) {
	s := library(t, "merchant-freeze")
	s.Duration = scenario.Duration(10 * time.Minute)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, format := range replay.Formats {
		t.Run(format, func(t *testing.T) {
			src, err := traffic.NewSource(s.Seed, s.Traffic)
			if err != nil {
				t.Fatal(err)
			}
			want := drain(t, src, s.Duration.D())
			var buf bytes.Buffer
			w, err := replay.NewWriter(&buf, format, start)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if err := w.Write(&want[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			path := write(t, "orders."+format, buf.String())
			rs, err := replay.OpenSource(path, replay.SourceOptions{
				Options: replay.Options{Mapping: replay.Native(), Buyers: s.Traffic.Buyers},
				Start:   start.UnixNano(),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			got := drain(t, rs, 1<<62)
			if rs.Err() != nil {
				t.Fatal(rs.Err())
			}
			if len(want) < 1000 {
				t.Fatalf("only %d orders recorded", len(want))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replayed orders differ from recorded (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOrchestratorExport: the attempt export replays with the built-in
// mapping, one order per intent (its first attempt), never reading the
// card numbers.
func TestOrchestratorExport(t *testing.T) {
	rs, err := replay.OpenSource("testdata/attempts.csv", replay.SourceOptions{Options: replay.Options{Mapping: replay.Orchestrator()}})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	got := drain(t, rs, 1<<62)
	if rs.Err() != nil {
		t.Fatal(rs.Err())
	}
	want := []payment.Order{
		{ID: 1, Created: 0, Amount: 1999, Currency: "USD", Category: "unknown", Method: "card", Region: "unknown"},
		{ID: 2, Created: 2 * time.Second, Amount: 4500, Currency: "USD", Category: "unknown", Method: "card", Region: "unknown"},
		{ID: 3, Created: 5500 * time.Millisecond, Amount: 1250, Currency: "EUR", Category: "unknown", Method: "card", Region: "unknown"},
		{ID: 4, Created: 9 * time.Second, Amount: 800, Currency: "USD", Category: "unknown", Method: "wallet", Region: "unknown"},
		{ID: 5, Created: 75 * time.Minute, Amount: 30000, Currency: "USD", Category: "unknown", Method: "card", Region: "unknown"},
		{ID: 6, Created: 80 * time.Minute, Amount: 999, Currency: "USD", Category: "unknown", Method: "wallet", Region: "unknown"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orders (-want +got):\n%s", diff)
	}
	if got := rs.Retries(); got != 2 {
		t.Errorf("Retries() = %d, want 2 (pi_002 and pi_005 retried)", got)
	}
}

// TestBadRows: a bad row names file, line, row and column; the read
// stops at the first unless max_bad_rows allows more, and every bad row
// is reported.
func TestBadRows(t *testing.T) {
	const file = "time,amount,currency,product,category,buyer,method,region\n" +
		"2026-01-01T00:00:00Z,100,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:01Z,12.50,USD,1,games,1,card,US\n" +
		"yesterday,100,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:03Z,100,USD,1,games,1,card\n" +
		"2026-01-01T00:00:02Z,100,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:01Z,100,USD,1,games,1,card,US\n"
	path := write(t, "bad.csv", file)
	wantAll := []string{
		path + `:3: row 2: column amount: "12.50" is not an integer amount in minor units (set amount_unit: major for 12.50)`,
		path + `:4: row 3: column time: "yesterday" is not a time (RFC 3339 or unix seconds)`,
		path + `:5: row 4: 7 fields, the header has 8`,
		path + `:7: row 6: column time: 2026-01-01T00:00:01Z is earlier than the row before (2026-01-01T00:00:02Z): the file must be sorted by time`,
	}
	tests := []struct {
		max    int
		orders int
		bad    []string
		stop   bool
	}{
		{0, 1, wantAll[:1], true},
		{2, 1, wantAll[:3], true},
		{4, 2, wantAll, false},
	}
	for _, tt := range tests {
		var bad []string
		rs, err := replay.OpenSource(path, replay.SourceOptions{Options: replay.Options{
			Mapping: replay.Native(), MaxBadRows: tt.max,
			OnBadRow: func(e *replay.RowError) { bad = append(bad, e.Error()) },
		}})
		if err != nil {
			t.Fatal(err)
		}
		got := drain(t, rs, 1<<62)
		rs.Close()
		if len(got) != tt.orders {
			t.Errorf("max %d: %d orders, want %d", tt.max, len(got), tt.orders)
		}
		if diff := cmp.Diff(tt.bad, bad); diff != "" {
			t.Errorf("max %d: bad rows (-want +got):\n%s", tt.max, diff)
		}
		var stop *replay.TooManyBadRowsError
		if got := errors.As(rs.Err(), &stop); got != tt.stop {
			t.Errorf("max %d: stopped = %v (%v), want %v", tt.max, got, rs.Err(), tt.stop)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	csv := write(t, "h.csv", "time,amount,card_number\n2026-01-01T00:00:00Z,1,4242424242424242\n")
	secret := replay.Native()
	secret.Set(replay.Region, "card_number")
	missing := replay.Native()
	tests := []struct {
		name string
		path string
		m    replay.Mapping
		want string
	}{
		{"unknown column", csv, missing, csv + `: mapping.currency: no column "currency" in the file (have time, amount, card_number)`},
		{"secret column", csv, secret, csv + `: mapping.region: column "card_number" holds secrets; paydrill does not read it`},
		{"no time", csv, replay.Mapping{}, csv + ": mapping.time: the mapping needs a time column"},
		{"format", "x.parquet", replay.Native(), `x.parquet: format "" is not one of csv, jsonl (name it .csv or .jsonl, or set format)`},
	}
	for _, tt := range tests {
		_, err := replay.Open(tt.path, replay.Options{Mapping: tt.m})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Open error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestCardNumberValue: a mapped text column holding a card number is a
// bad row; the number is not in the message.
func TestCardNumberValue(t *testing.T) {
	path := write(t, "c.jsonl", `{"time": 1767225600, "amount": 100, "region": "4242 4242 4242 4242"}`+"\n")
	m := replay.Mapping{}
	m.Set(replay.Time, "time")
	m.Set(replay.Amount, "amount")
	m.Set(replay.Region, "region")
	var msgs []string
	r, err := replay.Open(path, replay.Options{Mapping: m, OnBadRow: func(e *replay.RowError) { msgs = append(msgs, e.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var row replay.Row
	if r.Next(&row) {
		t.Fatal("Next read a row holding a card number")
	}
	want := path + ":1: row 1: column region: the value looks like a card number; paydrill does not read card numbers (map another column)"
	if diff := cmp.Diff([]string{want}, msgs); diff != "" {
		t.Errorf("bad rows (-want +got):\n%s", diff)
	}
}

func TestValues(t *testing.T) {
	m := replay.Mapping{MajorUnits: true}
	m.Set(replay.Time, "t")
	m.Set(replay.Amount, "a")
	m.Set(replay.Buyer, "b")
	m.Set(replay.Latency, "ms")
	path := write(t, "v.jsonl", `{"t": "2026-01-01T00:00:00.25Z", "a": "12.5", "b": 7, "ms": 250}
{"t": 1767225601.5, "a": 3, "b": "alice@example.com"}

{"t": "1767225602", "a": "0.07", "b": null}
`)
	r, err := replay.Open(path, replay.Options{Mapping: m, Buyers: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []replay.Row
	var row replay.Row
	for r.Next(&row) {
		got = append(got, row)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	want := []replay.Row{
		{At: base + 250e6, Amount: 1250, Buyer: 7, Latency: 250 * time.Millisecond, HasLatency: true},
		{At: base + 1500e6, Amount: 300, Buyer: got[1].Buyer},
		{At: base + 2e9, Amount: 7},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if b := got[1].Buyer; b < 0 || b >= 100 {
		t.Errorf("hashed buyer %d is not under 100", b)
	}
}

// TestSpeedAndLoop: speed divides times; loop repeats the file shifted
// by its span plus its mean gap.
func TestSpeedAndLoop(t *testing.T) {
	path := write(t, "l.csv", "time,amount\n0,100\n10,200\n20,300\n")
	m := replay.Mapping{}
	m.Set(replay.Time, "time")
	m.Set(replay.Amount, "amount")
	rs, err := replay.OpenSource(path, replay.SourceOptions{Options: replay.Options{Mapping: m}, Speed: 10, Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var got []time.Duration
	for _, o := range drain(t, rs, 7*time.Second) {
		got = append(got, o.Created)
	}
	s := time.Second
	want := []time.Duration{0, s, 2 * s, 3 * s, 4 * s, 5 * s, 6 * s}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
}

func TestCalibrateGolden(t *testing.T) {
	m := replay.Orchestrator()
	m.Set(replay.Code, "error_code")
	r, err := replay.Open("testdata/attempts.csv", replay.Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c, err := replay.Calibrate(r)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/calibrate.golden.yaml"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("calibrate output (-want +got):\n%s", diff)
	}
	if strings.Contains(buf.String(), "4242") {
		t.Error("calibrate output holds a card number")
	}
}

// Amounts that would wrap a total (the campaign's 9223372036854775807
// printed as a negative paid amount with PASS) or that no provider takes
// (0) are bad rows, named with their line and column.
func TestAmountCeilings(t *testing.T) {
	const file = "time,amount,currency,product,category,buyer,method,region\n" +
		"2026-01-01T00:00:00Z,9223372036854775807,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:01Z,0,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:02Z,10000000001,USD,1,games,1,card,US\n" +
		"2026-01-01T00:00:03Z,10000000000,USD,1,games,1,card,US\n"
	path := write(t, "money.csv", file)
	var bad []string
	rs, err := replay.OpenSource(path, replay.SourceOptions{Options: replay.Options{
		Mapping: replay.Native(), MaxBadRows: 10,
		OnBadRow: func(e *replay.RowError) { bad = append(bad, e.Error()) },
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	got := drain(t, rs, 1<<62)
	want := []string{
		path + `:2: row 1: column amount: "9223372036854775807" is over the ceiling of 100000000.00 an order in major units (docs/limits.md)`,
		path + `:3: row 2: column amount: "0": an order needs an amount more than 0 (providers refuse 0)`,
		path + `:4: row 3: column amount: "10000000001" is over the ceiling of 100000000.00 an order in major units (docs/limits.md)`,
	}
	if diff := cmp.Diff(want, bad); diff != "" {
		t.Errorf("bad rows (-want +got):\n%s", diff)
	}
	if len(got) != 1 {
		t.Errorf("%d orders, want 1 (the one at the ceiling)", len(got))
	}
}
