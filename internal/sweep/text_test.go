package sweep

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); go test -update rewrites it:\n%s", path, diff)
	}
}

func TestWriteText(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    func() *Result
	}{
		{"table.txt", handMade},
		{"interrupted.txt", func() *Result {
			r := handMade()
			r.Cells[3].Interrupted, r.Interrupted = true, true
			return r
		}},
	} {
		var b bytes.Buffer
		if err := WriteText(&b, Summary(tc.r(), 0)); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, b.Bytes())
	}
}

// The JSON keys are a contract: the golden file shows them all.
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Summary(handMade(), 0)); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.json", b.Bytes())
}
