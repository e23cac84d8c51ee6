//go:build race

package main

// raceEnabled: under the race detector whole drill suites are too slow
// to run in tests; those tests then check less (see TestCIRecipes).
const raceEnabled = true
