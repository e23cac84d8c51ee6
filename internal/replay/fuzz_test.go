package replay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/payment"
)

// FuzzRows reads arbitrary bytes as a replay file, CSV and JSON Lines,
// under both presets, as validate and run do. Every row that comes out
// is one a run can take (an amount in (0, MaxAmount], a time, sorted),
// every bad row names the file, its line and row, and nothing panics.
// Seeds: the test data and the hostile campaign's replay findings.
func FuzzRows(f *testing.F) {
	const header = "time,amount,currency,product,category,buyer,method,region\n"
	if data, err := os.ReadFile("testdata/attempts.csv"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		header,
		header + "2026-01-01T00:00:01Z,0,USD,1,toys,1,card,EU\n",
		header + "2026-01-01T00:00:01Z,9223372036854775807,USD,1,toys,1,card,EU\n2026-01-01T00:00:02Z,9223372036854775807,USD,1,toys,1,card,EU\n",
		"\uFEFF" + header + "2026-01-01T00:00:01Z,1999,USD,1,toys,1,card,EU\n",
		header + "2026-01-01T00:00:02Z,1999,USD,1,toys,1,card,EU\n2026-01-01T00:00:01Z,1999,USD,1,toys,1,card,EU\n",
		header + "1767225601.5,-5,USD,x,toys,4242424242424242,card,EU\n",
		header + "2026-01-01T00:00:01Z,\"12\n50\",USD,1,toys,1,card,EU\n",
		`{"time":"2026-01-01T00:00:01Z","amount":1999,"currency":"USD","product":1,"category":"toys","buyer":1,"method":"card","region":"EU"}` + "\n",
		"\uFEFF" + `{"time":1767225601,"amount":"1999","currency":"USD","product":1,"category":"toys","buyer":"b","method":"card","region":"EU"}` + "\n[1,2]\n",
		`{"time":"2026-01-01T00:00:01Z","amount":1e400}` + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		for _, format := range Formats {
			for _, preset := range Presets() {
				path := filepath.Join(dir, "f."+format)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				m, _ := Preset(preset)
				var bad []*RowError
				r, err := Open(path, Options{Mapping: m, MaxBadRows: 1000, Sorted: true, OnBadRow: func(e *RowError) { bad = append(bad, e) }})
				if err != nil {
					if !strings.HasPrefix(err.Error(), path) {
						t.Fatalf("%s %s: an error without the file: %v", format, preset, err)
					}
					continue
				}
				var row Row
				var last int64
				for n := 0; r.Next(&row); n++ {
					if row.Amount <= 0 || row.Amount > payment.MaxAmount {
						t.Fatalf("%s %s: row %d has amount %d, outside (0, %d]", format, preset, n+1, row.Amount, payment.MaxAmount)
					}
					if row.At < last {
						t.Fatalf("%s %s: row %d at %d is before the one before (%d)", format, preset, n+1, row.At, last)
					}
					last = row.At
				}
				r.Close()
				for _, e := range bad {
					if e.File != path || e.Line < 1 || e.Row < 1 {
						t.Fatalf("%s %s: a bad row without its place: %+v", format, preset, e)
					}
				}
			}
		}
	})
}
