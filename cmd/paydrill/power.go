package main

import (
	"fmt"
	"io"

	"github.com/paydrill/paydrill/internal/power"
	"github.com/paydrill/paydrill/internal/scenario"
)

// powerCheck prints, for each time expectation the scenario's traffic
// cannot decide, a warning naming the file, and returns how many it
// printed. quiet prints nothing but still counts.
func powerCheck(file string, s *scenario.Scenario, quiet bool, stderr io.Writer) int {
	checks, err := power.Plan(s)
	if err != nil {
		return 0 // validation reports what is wrong with the traffic
	}
	n := 0
	for _, c := range checks {
		if c.Decidable {
			continue
		}
		n++
		if !quiet {
			fmt.Fprintf(stderr, "%s: warning: %s\n", file, c)
		}
	}
	return n
}
