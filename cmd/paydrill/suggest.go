package main

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// suggestion is ` (did you mean "NAME"?)` for the command closest to an
// unknown name, by edit distance (at most 2) or as a prefix; "" when none
// is close.
func suggestion(name string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s := closest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// closest is the candidate nearest to word: the first with the smallest
// edit distance when it is at most 2, else the first the word begins.
func closest(word string, candidates []string) string {
	best, dist := "", 3
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(strings.ToLower(word), c); d < dist {
			best, dist = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		if len(word) >= 2 && strings.HasPrefix(c, strings.ToLower(word)) {
			return c
		}
	}
	return ""
}
