package main

import (
	"fmt"
	"strings"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/scenarios"
)

// builtinPrefix names an embedded drill: builtin:merchant-freeze.
const builtinPrefix = "builtin:"

// loadScenario reads a scenario file, or an embedded drill named builtin:NAME.
func loadScenario(arg string) (*scenario.Scenario, error) {
	if name, ok := strings.CutPrefix(arg, builtinPrefix); ok {
		data, err := scenarios.Read(name)
		if err != nil {
			return nil, fmt.Errorf("no built-in drill %q (see 'paydrill list')", name)
		}
		return scenario.Parse(arg, data)
	}
	return scenario.Load(arg)
}
