package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeOrders writes a native replay file of n orders, one every gap from
// 2026-01-01T00:00:00Z, the i-th paying by methods[i%len] in
// currencies[i%len], and returns its path.
func writeOrders(t *testing.T, dir string, n int, gap time.Duration, methods, currencies []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("time,amount,currency,product,category,buyer,method,region\n")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "%s,1500,%s,1,game-keys,%d,%s,CN\n", start.Add(time.Duration(i)*gap).Format(time.RFC3339),
			currencies[i%len(currencies)], i, methods[i%len(methods)])
	}
	path := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReplayTraffic: a replay scenario is checked against the orders its
// file holds. Before, each of these loaded and ran: orders no provider
// takes failed without an attempt under a PASS, a CNY file was labelled
// USD, a day of orders was cut to the first hour unsaid, and a fault after
// the last order was judged on no traffic.
func TestReplayTraffic(t *testing.T) {
	const scen = `name: r
duration: 2h
bucket: 1m
traffic:
  replay: {file: orders.csv}
providers:
  - name: alpha
  - name: beta
faults:
  - {type: suspend, at: 30m, for: 20m, target: {providers: [alpha]}}
`
	tests := []struct {
		name       string
		scen       string
		n          int // orders, one a minute
		methods    []string
		currencies []string
		want       string // the error; "" loads
		currency   string // the catalog currency after Load
	}{
		{name: "card orders in CNY", scen: scen, n: 119, methods: []string{"card"}, currencies: []string{"CNY"}, currency: "CNY"},
		{name: "methods no provider takes", scen: scen, n: 119, methods: []string{"alipay", "alipay", "wechat_pay", "card"}, currencies: []string{"CNY"},
			want: "s.yaml:5:11: traffic.replay: 90 of the 119 orders the run reads pay by a method no provider takes: alipay (60), wechat_pay (30); the providers take card."},
		{name: "methods listed", scen: strings.Replace(scen, "  replay:", "  methods: {card: 1, alipay: 1, wechat_pay: 1}\n  replay:", 1),
			n: 119, methods: []string{"alipay", "alipay", "wechat_pay", "card"}, currencies: []string{"CNY"}, currency: "CNY"},
		{name: "one provider takes them", scen: strings.NewReplacer("  replay:", "  methods: {card: 1, alipay: 1}\n  replay:",
			"  - name: alpha\n", "  - name: alpha\n    methods: [card]\n", "  - name: beta\n", "  - name: beta\n    methods: [alipay]\n").Replace(scen),
			n: 119, methods: []string{"alipay", "card"}, currencies: []string{"USD"}, currency: "USD"},
		{name: "several currencies", scen: scen, n: 119, methods: []string{"card"}, currencies: []string{"USD", "EUR", "USD"},
			want: "s.yaml:5:11: traffic.replay: the orders are in 2 currencies: USD (79), EUR (40); a run adds amounts up in one currency"},
		{name: "file longer than the run", scen: scen, n: 24 * 60, methods: []string{"card"}, currencies: []string{"USD"},
			want: "s.yaml:2:11: duration: 2h reads 120 of the file's 1440 orders (its last order comes at 23h59m): set duration: 24h to replay the whole file, or traffic.replay.partial: true to replay only its first 2h"},
		{name: "partial said", scen: strings.Replace(scen, "orders.csv}", "orders.csv, partial: true}", 1), n: 24 * 60,
			methods: []string{"card"}, currencies: []string{"USD"}, currency: "USD"},
		{name: "fault after the last order", scen: scen, n: 25, methods: []string{"card"}, currencies: []string{"USD"},
			want: "s.yaml:10:25: faults[0].at: 30m is after the last order the run reads (24m0s of traffic.replay): no order would meet the fault"},
		{name: "fault past the last order", scen: scen, n: 45, methods: []string{"card"}, currencies: []string{"USD"},
			want: "s.yaml:10:35: faults[0].for: the fault runs to 50m, after the last order the run reads (44m0s of traffic.replay): nothing would measure its recovery"},
		{name: "looped", scen: strings.Replace(scen, "orders.csv}", "orders.csv, loop: true}", 1), n: 25,
			methods: []string{"card"}, currencies: []string{"USD"}, currency: "USD"},
		{name: "no order before the end", scen: strings.Replace(scen, "orders.csv}", "orders.csv, start: 2025-12-31T21:00:00Z, partial: true}", 1), n: 25,
			methods: []string{"card"}, currencies: []string{"USD"}, want: "no order of the file comes before the end of the run (duration 2h; the first comes at 3h)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeOrders(t, dir, tt.n, time.Minute, tt.methods, tt.currencies)
			s, err := Parse(filepath.Join(dir, "s.yaml"), []byte(tt.scen))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got := s.Traffic.Catalog.Currency; got != tt.currency {
					t.Errorf("catalog currency %q, want the file's %q", got, tt.currency)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error\n%v\nwant it to hold\n%s", err, tt.want)
			}
		})
	}
}

// TestReplayBadRowValidates: validating reads every row, so a bad row far
// into the file is found before a run (it was found only by the run).
func TestReplayBadRowValidates(t *testing.T) {
	dir := t.TempDir()
	path := writeOrders(t, dir, 100, time.Minute, []string{"card"}, []string{"USD"})
	data, _ := os.ReadFile(path)
	data = []byte(strings.Replace(string(data), "00:50:00Z,1500,", "00:50:00Z,fifteen,", 1))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Parse(filepath.Join(dir, "s.yaml"), []byte("name: r\nduration: 2h\ntraffic:\n  replay: {file: orders.csv}\nproviders:\n  - name: alpha\n"))
	want := `traffic.replay.file: ` + path + `:52: row 51: column amount: "fifteen" is not an integer amount in minor units`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse error %v, want it to hold %q", err, want)
	}
}
