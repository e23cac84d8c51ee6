package scenario

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestSchemaGolden keeps the published schema (docs/scenario.schema.json,
// served at SchemaURL, the schema's $id) equal to Schema's output.
func TestSchemaGolden(t *testing.T) {
	got, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "../../docs/scenario.schema.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Schema() differs from %s; run go test ./internal/scenario -update and review the diff", golden)
	}
	if !json.Valid(got) {
		t.Error("Schema() is not valid JSON")
	}
}

func TestUnitPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		parse   func(string) error
		in      string
	}{
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "90s"},
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "1h30m"},
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "1.5s"},
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "0"},
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "10 minutes"},
		{durationPattern, func(s string) error { _, err := ParseDuration(s); return err }, "-5s"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "20/s"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "2.5/min"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "100/h"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "0"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "-3/s"},
		{ratePattern, func(s string) error { _, err := ParseRate(s); return err }, "3/day"},
		{limitPattern, func(s string) error { _, err := ParseLimit(s); return err }, "off"},
		{limitPattern, func(s string) error { _, err := ParseLimit(s); return err }, "5m"},
		{limitPattern, func(s string) error { _, err := ParseLimit(s); return err }, "never"},
	}
	for _, tt := range tests {
		matched := regexp.MustCompile(tt.pattern).MatchString(tt.in)
		parsed := tt.parse(tt.in) == nil
		if matched != parsed {
			t.Errorf("%q: pattern %s matches = %v, parser accepts = %v; they must agree", tt.in, tt.pattern, matched, parsed)
		}
	}
}

// TestSchemaDescribesEveryProperty: editors show a property's
// description on hover and completion; none may be blank.
func TestSchemaDescribesEveryProperty(t *testing.T) {
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	n := 0
	for def, d := range s.Defs {
		for name, p := range d.Properties {
			n++
			if p.Description == "" {
				t.Errorf("%s.%s has no description", def, name)
			}
		}
	}
	if n < 150 {
		t.Errorf("the schema has %d properties; want the scenario format's (171)", n)
	}
}

// TestSchemaDescriptionsAreWhole: a description written in the jsonschema
// tag ("description=...") is cut at its first comma, since commas
// separate that tag's options; every field of the format gives its
// description in jsonschema_description instead, where a comma is text.
func TestSchemaDescriptionsAreWhole(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			for opt := range strings.SplitSeq(f.Tag.Get("jsonschema"), ",") {
				if strings.HasPrefix(opt, "description=") {
					t.Errorf("%s.%s: description in the jsonschema tag (cut at a comma); use jsonschema_description", ty.Name(), f.Name)
				}
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Scenario]())
	if len(seen) < 20 {
		t.Errorf("walked %d types; want every struct of the format", len(seen))
	}
}
