package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// helpWidth is the widest line any help text may have.
const helpWidth = 100

const helpUsage = `Usage: paydrill help [COMMAND [SUBCOMMAND]]

Prints the top-level help, or a command's help (as 'paydrill COMMAND
--help' does): its flags, examples and exit codes.

Examples:
  paydrill help
  paydrill help run
  paydrill help report diff
`

// cmdHelp prints the help of the command named in args, or the top-level
// help. An unknown name is a usage error with a suggestion.
func cmdHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage())
		return exitPass
	}
	switch args[0] {
	case "-h", "--help":
		fmt.Fprint(stdout, helpUsage)
		return exitPass
	case "help":
		fmt.Fprint(stdout, helpUsage)
		return exitPass
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "paydrill help: unknown command %q%s\nRun 'paydrill help' for the list of commands.\n", args[0], suggestion(args[0]))
		return exitUsage
	}
	// A command's help is what its --help prints; a subcommand's help
	// (report diff, kube job) is the subcommand's --help.
	rest := append(slices.Clone(args[1:min(len(args), 2)]), "--help")
	return c.run(ctx, rest, stdout, stderr)
}

// flagUsages formats a command's flags for its help: one flag a line,
// value names in capitals (N for numbers), no "[=true|false]" on switches,
// defaults that are not zero, the description wrapped within helpWidth.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, text string }
	var rows []row
	widest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, text := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" {
			left += " " + valueName(f.Name, name)
		}
		if d := defaultText(f); d != "" {
			text += " (default " + d + ")"
		}
		rows = append(rows, row{left, text})
		widest = max(widest, len(left))
	})
	col := min(widest, 34) + 3
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.left)
		if len(r.left)+2 > col {
			b.WriteString("\n" + strings.Repeat(" ", col))
		} else {
			b.WriteString(strings.Repeat(" ", col-len(r.left)))
		}
		b.WriteString(wrap(r.text, helpWidth-col, strings.Repeat(" ", col)))
		b.WriteString("\n")
	}
	return b.String()
}

// valueName is the name a flag's value goes by in help: the one its usage
// quotes (`PATH`), else N for numbers, else the flag's name in capitals.
func valueName(flag, quoted string) string {
	switch quoted {
	case "int", "uint", "int32", "uint32":
		return "N"
	case "float", "float32":
		return "X"
	case "duration":
		return "DURATION"
	case "string", "strings", "stringArray", "":
		return strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
	}
	return quoted
}

// defaultText is a flag's default as help shows it, "" for a zero value.
func defaultText(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "[]", "0s", "<nil>":
		return ""
	}
	if t := f.Value.Type(); t == "string" {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

// wrap breaks text into lines of at most width columns (a longer word
// stands alone), every line after the first starting with indent.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(text) {
		switch {
		case i == 0:
		case n+1+len(w) > width:
			b.WriteString("\n" + indent)
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
