package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/scenario"
)

const initUsage = `Usage: paydrill init [FILE] [flags]

Writes a commented starter scenario to FILE (default drill.yaml; - for
stdout): one hour of card and wallet traffic over three mock providers,
the main card channel suspended for 20 minutes, and the expectations a
drill is judged by. It validates as written and passes with the built-in
health router; edit it into your shop's. Its first line points YAML
editors at the scenario schema, so they complete and describe every field.
The drill's name is FILE's base name. An existing FILE is kept unless
--force.

Flags:
%s
Examples:
  paydrill init
  paydrill init drills/checkout.yaml && paydrill run drills/checkout.yaml
  paydrill init - | less
`

//go:embed starter/drill.yaml
var starterFS embed.FS

// starter is the starter scenario for file (its name from file's base
// name, "drill" for stdout).
func starter(file string) []byte {
	b, _ := fs.ReadFile(starterFS, "starter/drill.yaml")
	name, shown := "drill", "drill.yaml"
	if file != "-" {
		shown = file
		name = drillName(file)
	}
	return []byte(strings.NewReplacer("{{SCHEMA}}", scenario.SchemaURL, "{{FILE}}", shown, "{{NAME}}", name).Replace(string(b)))
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// drillName is file's base name without its extension, with anything but
// letters, digits, dot, dash and underscore replaced by a dash.
func drillName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if n := strings.Trim(unsafeName.ReplaceAllString(base, "-"), "-"); n != "" {
		return n
	}
	return "drill"
}

func cmdInit(args []string, stdout, stderr io.Writer) int {
	set := pflag.NewFlagSet("init", pflag.ContinueOnError)
	force := set.BoolP("force", "f", false, "overwrite FILE if it exists")
	usage := func() string { return fmt.Sprintf(initUsage, flagUsages(set)) }
	if code, ok := parseFlags(set, args, usage, stdout, stderr); !ok {
		return code
	}
	if set.NArg() > 1 {
		fmt.Fprint(stderr, "paydrill init: one FILE at most\n\n"+usage())
		return exitUsage
	}
	file := "drill.yaml"
	if set.NArg() == 1 {
		file = set.Arg(0)
	}
	data := starter(file)
	if file == "-" {
		stdout.Write(data)
		return exitPass
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(file, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "paydrill init: %s exists: kept (--force overwrites it)\n", file)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "paydrill init: %v\n", err)
		return exitUsage
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "paydrill init: %v\n", err)
		return exitAborted
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(stderr, "paydrill init: %v\n", err)
		return exitAborted
	}
	fmt.Fprintf(stdout, "wrote %s: run it with 'paydrill run %s'\n", file, file)
	return exitPass
}
