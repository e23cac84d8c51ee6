package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The smaller findings of the hostile-input campaign (issue 13) about
// replay files: each is bad input (exit 2) with the file and the row, or
// is read as the user meant it.
func TestReplaySmallFindings(t *testing.T) {
	const header = "time,amount,currency,product,category,buyer,method,region\n"
	const row = "2026-01-01T00:00:01Z,1999,USD,1,toys,1,card,EU\n"
	for _, tc := range []struct {
		name, file, data string
		code             int
		want             string // in stderr
	}{
		{"header only", "o.csv", header, exitUsage, "drill.yaml:4:11: traffic.replay: the file holds no orders"},
		{"empty jsonl", "o.jsonl", "", exitUsage, "drill.yaml:4:18: traffic.replay.file: o.jsonl: the file is empty"},
		{"amount 0", "o.csv", header + strings.Replace(row, "1999", "0", 1), exitUsage, `o.csv:2: row 1: column amount: "0": an order needs an amount more than 0`},
		{"BOM csv", "o.csv", "\uFEFF" + header + row, exitPass, ""},
		{"BOM jsonl", "o.jsonl", "\uFEFF" + `{"time":"2026-01-01T00:00:01Z","amount":1999,"currency":"USD","product":1,"category":"toys","buyer":1,"method":"card","region":"EU"}` + "\n", exitPass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			scen := `name: drill
duration: 2m
traffic:
  replay: {file: ` + tc.file + `, start: 2026-01-01T00:00:00Z}
providers:
  - {name: alpha}
expect: {failover_within: "off"}
`
			if err := os.WriteFile(filepath.Join(dir, "drill.yaml"), []byte(scen), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			for _, cmd := range []string{"validate", "run"} {
				code, _, stderr := call(t, cmd, "drill.yaml", "--progress", "off")
				if cmd == "validate" {
					code, _, stderr = call(t, cmd, "drill.yaml")
				}
				if code != tc.code || !strings.Contains(stderr, tc.want) {
					t.Errorf("%s: exit %d, stderr:\n%s\nwant exit %d and %q", cmd, code, stderr, tc.code, tc.want)
				}
			}
		})
	}
}
