package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParseReplay: traffic.replay needs no arrivals, resolves its file
// against the scenario's directory, and reports a missing file, an
// unknown column or a bad field with file:line:col.
func TestParseReplay(t *testing.T) {
	dir := t.TempDir()
	data := "time,amount,currency,product,category,buyer,method,region\n2026-01-01T00:00:00Z,100,USD,1,games,1,card,US\n"
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	const head = "name: r\nduration: 1h\ntraffic:\n  replay:\n"
	const tail = "providers:\n  - name: alpha\n"
	tests := []struct {
		name, replay, want string
	}{
		{"valid", "    file: orders.csv\n    speed: 2\n", ""},
		{"missing file", "    file: nope.csv\n", "s.yaml:5:11: traffic.replay.file: no file " + filepath.Join(dir, "nope.csv")},
		{"unknown column", "    file: orders.csv\n    mapping: {region: country}\n",
			`s.yaml:6:23: traffic.replay.mapping.region: no column "country" in the file (have time, amount, currency, product, category, buyer, method, region)`},
		{"preset column", "    file: orders.csv\n    mapping: {preset: orchestrator}\n",
			`s.yaml:6:14: traffic.replay.mapping: no column "created_at" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's time column)` + "\n" +
				`s.yaml:6:14: traffic.replay.mapping: no column "order_currency" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's currency column)` + "\n" +
				`s.yaml:6:14: traffic.replay.mapping: no column "payment_method_type" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's method column)` + "\n" +
				`s.yaml:6:14: traffic.replay.mapping: no column "payment_intent_id" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's intent column)` + "\n" +
				`s.yaml:6:14: traffic.replay.mapping: no column "payment_gateway" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's provider column)` + "\n" +
				`s.yaml:6:14: traffic.replay.mapping: no column "payment_status" in the file (have time, amount, currency, product, category, buyer, method, region) (the orchestrator preset's outcome column)`},
		{"secret column", "    file: orders.csv\n    mapping: {buyer: card_number}\n",
			`s.yaml:6:22: traffic.replay.mapping.buyer: column "card_number" holds secrets; paydrill does not read it`},
		{"bad fields", "    file: orders.csv\n    speed: -1\n    loop: yes please\n",
			`s.yaml:7:11: traffic.replay.loop: expected true or false, got string "yes please"`},
		{"bad values", "    file: orders.txt\n    speed: -1\n    start: noon\n    mapping: {preset: stripe}\n",
			"s.yaml:5:11: traffic.replay.file: cannot tell the format from \"orders.txt\": set format (csv, jsonl)\n" +
				"s.yaml:6:12: traffic.replay.speed: -1 is negative\n" +
				"s.yaml:7:12: traffic.replay.start: \"noon\" is not an RFC 3339 time (like 2026-01-02T15:04:05Z)\n" +
				`s.yaml:8:23: traffic.replay.mapping.preset: "stripe" is not a mapping preset (paydrill, orchestrator)`},
		{"both", "    file: orders.csv\n  arrivals: {type: poisson, rate: 1/s}\n",
			"s.yaml:6:13: traffic.arrivals: set arrivals or replay, not both (a replay's orders come from its file)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(filepath.Join(dir, "s.yaml"), []byte(head+tt.replay+tail))
			got := ""
			if err != nil {
				got = err.Error()
			}
			want := tt.want
			if want != "" {
				want = filepath.Join(dir, want)
			}
			if got != replaceAll(want, "\ns.yaml", "\n"+filepath.Join(dir, "s.yaml")) {
				t.Errorf("Parse error:\n%s\nwant:\n%s", got, want)
			}
			if err == nil {
				r := s.Traffic.Replay
				if r.File != filepath.Join(dir, "orders.csv") || r.Format != "csv" || r.Speed != 2 || r.Mapping.Preset != "paydrill" {
					t.Errorf("replay after defaults = %+v", r)
				}
			}
		})
	}
}

func replaceAll(s, old, new string) string {
	out := ""
	for {
		i := indexOf(s, old)
		if i < 0 {
			return out + s
		}
		out += s[:i] + new
		s = s[i+len(old):]
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
