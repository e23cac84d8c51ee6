package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML as Jenkins and Maven Surefire read it (testdata/junit.xsd).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes JUnit XML: one test suite per drill, one test case per
// expectation (per fault for a fault's own expectation, named
// "NAME (FAULT)"), and one case per broken invariant. A failed case carries
// the observed value and the limit. Times are 0: the wall-clock time of a
// virtual run is not part of the model's deterministic figures.
func WriteJUnit(w io.Writer, r *Report) error {
	s := r.Scenario
	suite := junitSuite{
		Name: "paydrill." + s.Name, Time: "0",
		Properties: []junitProperty{
			{"router", s.Router}, {"seed", fmt.Sprint(s.Seed)}, {"file", s.File}, {"verdict", r.Verdict},
			{"reproduce", r.Reproduce},
		},
	}
	if r.Version != "" {
		suite.Properties = append(suite.Properties, junitProperty{"paydrill_version", r.Version})
	}
	class := "paydrill." + s.Name
	for _, x := range r.Expectations {
		c := junitCase{Name: x.Name, ClassName: class, Time: "0"}
		if x.Fault != "" {
			c.Name = x.Name + " (" + x.Fault + ")"
			c.ClassName = class + "." + x.Fault
		}
		switch x.Mark() {
		case "INCONCLUSIVE", "N/A":
			c.Skipped = &junitSkipped{Message: strings.ToLower(x.Mark()) + ": " + x.Reason}
			suite.Skipped++
		case "FAIL":
			c.Failure = &junitFailure{
				Message: fmt.Sprintf("%s: observed %s, limit %s", c.Name, x.Got, x.Want),
				Type:    "expectation",
				Text:    fmt.Sprintf("observed: %s\nlimit: %s\nreproduce: %s\n", x.Got, x.Want, r.Reproduce),
			}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	for i, v := range r.Violations {
		suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("invariant %d", i+1), ClassName: class + ".invariants", Time: "0",
			Failure: &junitFailure{Message: v, Type: "invariant", Text: v + "\nreproduce: " + r.Reproduce + "\n"}})
		suite.Failures++
	}
	var out []string
	if r.Interrupted {
		out = append(out, "interrupted: the figures cover only what ran")
		// An interrupted run's verdict is fail: the JUnit file says so
		// with a failing case, as the JSON and the exit code do.
		suite.Cases = append(suite.Cases, junitCase{Name: "run complete", ClassName: class + ".run", Time: "0",
			Failure: &junitFailure{Message: "the run was interrupted before its end", Type: "interrupted",
				Text: "the figures cover only what ran\nreproduce: " + r.Reproduce + "\n"}})
		suite.Failures++
	}
	if r.Unsigned {
		suite.Properties = append(suite.Properties, junitProperty{Name: "unsigned_notifications", Value: UnsignedNote})
	}
	for _, w := range r.Warnings {
		suite.Properties = append(suite.Properties, junitProperty{"warning", w})
		out = append(out, "warning: "+w)
	}
	suite.SystemOut = strings.Join(out, "\n")
	return writeJUnitSuite(w, suite)
}

// writeJUnitSuite writes one suite as a whole JUnit document.
func writeJUnitSuite(w io.Writer, suite junitSuite) error {
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "paydrill", Tests: suite.Tests, Failures: suite.Failures, Time: "0", Suites: []junitSuite{suite}}
	b := &strings.Builder{}
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
