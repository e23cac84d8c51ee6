package reports

import (
	"bytes"
	"strings"
	"testing"
)

// every renders r in every format.
func every(t *testing.T, r *Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, w := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return WriteText(b, r) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"html":     func(b *bytes.Buffer) error { return WriteHTML(b, r) },
		"junit":    func(b *bytes.Buffer) error { return WriteJUnit(b, r) },
		"json":     func(b *bytes.Buffer) error { return WriteJSON(b, r) },
	} {
		var b bytes.Buffer
		if err := w(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.String()
	}
	return out
}

// An interrupted run fails in every format: the JUnit file counts a
// failure too (it used to show 0 failures beside a JSON verdict of fail).
func TestInterruptedAgreesEverywhere(t *testing.T) {
	r := passingReport()
	r.Interrupted, r.Verdict = true, "fail"
	out := every(t, r)
	for name, s := range out {
		if !strings.Contains(strings.ToLower(s), "interrupted") {
			t.Errorf("%s report of an interrupted run does not say so:\n%s", name, s)
		}
	}
	if j := out["junit"]; strings.Contains(j, `failures="0"`) || !strings.Contains(j, `type="interrupted"`) {
		t.Errorf("JUnit of an interrupted run shows no failure:\n%s", j)
	}
}

// An unsigned drill says so in every format.
func TestUnsignedSaidEverywhere(t *testing.T) {
	r := passingReport()
	r.Unsigned = true
	for name, s := range every(t, r) {
		if name == "json" {
			if !strings.Contains(s, `"unsigned_notifications": true`) {
				t.Errorf("JSON of an unsigned drill:\n%s", s)
			}
			continue
		}
		if !strings.Contains(s, "without checking a signature") {
			t.Errorf("%s report of an unsigned drill does not say so:\n%s", name, s)
		}
	}
}
