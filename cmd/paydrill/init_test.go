package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

// TestInitWritesADrillThatPasses: the starter validates, is named after
// its file, points editors at the published schema, and passes with the
// health router it names (exit 0), as its help promises.
func TestInitWritesADrillThatPasses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "checkout drill.yaml")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"init", path}, &out, &errb); code != exitPass {
		t.Fatalf("init %s: exit %d, stderr %q", path, code, errb.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema="+scenario.SchemaURL {
		t.Errorf("first line %q: want the schema comment", first)
	}
	s, err := loadScenario(path)
	if err != nil {
		t.Fatalf("the starter does not validate: %v", err)
	}
	if s.Name != "checkout-drill" {
		t.Errorf("name %q, want checkout-drill (the file's base name)", s.Name)
	}
	errb.Reset()
	if code := run(context.Background(), []string{"run", "-q", path}, &out, &errb); code != exitPass {
		t.Errorf("run %s: exit %d, want 0 (the starter passes with health); stderr %q", path, code, errb.String())
	}
}

// TestInitKeepsAnExistingFile: an existing file is refused (exit 2,
// unchanged) unless --force; - writes to stdout.
func TestInitKeepsAnExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drill.yaml")
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"init", path}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "exists") {
		t.Errorf("init over an existing file: exit %d, stderr %q; want 2 and why", code, errb.String())
	}
	if b, _ := os.ReadFile(path); string(b) != "mine\n" {
		t.Errorf("the existing file was changed to %q", b)
	}
	if code := run(context.Background(), []string{"init", "--force", path}, &out, &errb); code != exitPass {
		t.Errorf("init --force: exit %d", code)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, starter(path)) {
		t.Errorf("init --force did not write the starter")
	}
	out.Reset()
	if code := run(context.Background(), []string{"init", "-"}, &out, &errb); code != exitPass || !bytes.Equal(out.Bytes(), starter("-")) {
		t.Errorf("init -: exit %d, %d bytes on stdout; want 0 and the starter", code, out.Len())
	}
}

func TestDrillName(t *testing.T) {
	for in, want := range map[string]string{"drill.yaml": "drill", "a/b/Checkout Freeze.yml": "Checkout-Freeze", "!!!.yaml": "drill", "x": "x"} {
		if got := drillName(in); got != want {
			t.Errorf("drillName(%q) = %q, want %q", in, got, want)
		}
	}
}
