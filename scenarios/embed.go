// Package scenarios is paydrill's drill library: the YAML files in this
// folder, embedded into the binary (paydrill list, paydrill run builtin:NAME).
package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Default is the drill `paydrill run` runs when given no file.
const Default = "merchant-freeze"

// Names lists the embedded drills, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	slices.Sort(names)
	return names
}

// Read returns the YAML of the embedded drill name.
func Read(name string) ([]byte, error) {
	return files.ReadFile(name + ".yaml")
}
