package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// shells are the shells 'paydrill completion' writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

const completionUsage = `Usage: paydrill completion bash|zsh|fish

Prints a script that completes paydrill's commands, their subcommands and
their flags (with a description in zsh and fish), and file names, in the
shell named. The flags are those each command's --help lists.

Examples:
  paydrill completion bash > /etc/bash_completion.d/paydrill
  source <(paydrill completion bash)
  paydrill completion zsh > "${fpath[1]}/_paydrill"
  paydrill completion fish > ~/.config/fish/completions/paydrill.fish
`

func cmdCompletion(args []string, stdout, stderr io.Writer) int {
	if slices.Contains(args, "-h") || slices.Contains(args, "--help") {
		fmt.Fprint(stdout, completionUsage)
		return exitPass
	}
	if len(args) != 1 || !slices.Contains(shells, args[0]) {
		fmt.Fprintf(stderr, "paydrill completion: name one shell: bash, zsh or fish\n\n%s", completionUsage)
		return exitUsage
	}
	cs := completions()
	switch args[0] {
	case "bash":
		writeBash(stdout, cs)
	case "zsh":
		writeZsh(stdout, cs)
	case "fish":
		writeFish(stdout, cs)
	}
	return exitPass
}

// completed is what a completion script knows of one command.
type completed struct {
	name, summary string
	subs          []string
	flags         []flagHelp
}

// flagHelp is one flag as a command's help lists it.
type flagHelp struct {
	long, short, value, text string
}

// flagLine matches the first line of a flag in a command's help.
var flagLine = regexp.MustCompile(`^  (?:-(\w), |    )--([\w-]+)(?: ([^ ]+))?(?: {2,}(.*))?$`)

// completions reads every command's flags from its help, so completion
// offers exactly what --help documents.
func completions() []completed {
	var cs []completed
	for _, c := range commands() {
		cc := completed{name: c.name, summary: c.summary, subs: c.subs}
		helps := [][]string{{"--help"}}
		for _, s := range c.subs {
			helps = append(helps, []string{s, "--help"})
		}
		for _, h := range helps {
			var out bytes.Buffer
			c.run(context.Background(), h, &out, io.Discard)
			for _, line := range strings.Split(out.String(), "\n") {
				m := flagLine.FindStringSubmatch(line)
				if m == nil || slices.ContainsFunc(cc.flags, func(f flagHelp) bool { return f.long == m[2] }) {
					continue
				}
				cc.flags = append(cc.flags, flagHelp{long: m[2], short: m[1], value: m[3], text: m[4]})
			}
		}
		cs = append(cs, cc)
	}
	return cs
}

func writeBash(w io.Writer, cs []completed) {
	var names []string
	for _, c := range cs {
		names = append(names, c.name)
	}
	fmt.Fprintf(w, `# bash completion for paydrill (paydrill completion bash)
_paydrill() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur"))
        return
    fi
    local flags="" valued="" subs=""
    case ${COMP_WORDS[1]} in
`, strings.Join(names, " "))
	for _, c := range cs {
		var flags, valued []string
		for _, f := range c.flags {
			flags = append(flags, "--"+f.long)
			if f.short != "" {
				flags = append(flags, "-"+f.short)
			}
			if f.value != "" {
				valued = append(valued, "--"+f.long)
			}
		}
		fmt.Fprintf(w, "    %s) flags=%q valued=%q subs=%q ;;\n", c.name, strings.Join(flags, " "), strings.Join(valued, " "), strings.Join(c.subs, " "))
	}
	fmt.Fprint(w, `    esac
    if [[ " $valued " == *" $prev "* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    elif [[ $COMP_CWORD -eq 2 && -n $subs ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o default -F _paydrill paydrill
`)
}

// quoted makes a description safe inside a zsh or fish single-quoted
// word and a zsh _arguments spec: no quotes, brackets or colons, one line.
func quoted(s string) string {
	s = strings.NewReplacer("'", "", "[", "(", "]", ")", ":", " ", "\\", "", "`", "", "$", "").Replace(s)
	if len(s) > 70 {
		s = s[:67] + "..."
	}
	return s
}

func writeZsh(w io.Writer, cs []completed) {
	fmt.Fprint(w, "#compdef paydrill\n# zsh completion for paydrill (paydrill completion zsh)\n_paydrill() {\n    local -a commands\n    commands=(\n")
	for _, c := range cs {
		fmt.Fprintf(w, "        '%s:%s'\n", c.name, quoted(c.summary))
	}
	fmt.Fprint(w, "    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' commands\n        return\n    fi\n    case $words[2] in\n")
	for _, c := range cs {
		fmt.Fprintf(w, "    %s)\n        _arguments -s \\\n", c.name)
		for _, f := range c.flags {
			arg := ""
			if f.value != "" {
				arg = ":" + strings.ToLower(quoted(f.value)) + ":_files"
			}
			if f.short != "" {
				fmt.Fprintf(w, "            '(-%s --%s)'{-%s,--%s}'[%s]%s' \\\n", f.short, f.long, f.short, f.long, quoted(f.text), arg)
			} else {
				fmt.Fprintf(w, "            '--%s[%s]%s' \\\n", f.long, quoted(f.text), arg)
			}
		}
		if len(c.subs) > 0 {
			fmt.Fprintf(w, "            '1:subcommand:(%s)' \\\n", strings.Join(c.subs, " "))
		}
		fmt.Fprint(w, "            '*:file:_files'\n        ;;\n")
	}
	fmt.Fprint(w, "    esac\n}\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _paydrill \"$@\"\nelse\n    compdef _paydrill paydrill\nfi\n")
}

func writeFish(w io.Writer, cs []completed) {
	fmt.Fprint(w, "# fish completion for paydrill (paydrill completion fish)\n")
	for _, c := range cs {
		fmt.Fprintf(w, "complete -c paydrill -f -n __fish_use_subcommand -a %s -d '%s'\n", c.name, quoted(c.summary))
	}
	for _, c := range cs {
		cond := "'__fish_seen_subcommand_from " + c.name + "'"
		for _, s := range c.subs {
			fmt.Fprintf(w, "complete -c paydrill -f -n %s -a %s\n", cond, s)
		}
		for _, f := range c.flags {
			short, req := "", ""
			if f.short != "" {
				short = " -s " + f.short
			}
			if f.value != "" {
				req = " -r"
			}
			fmt.Fprintf(w, "complete -c paydrill -n %s -l %s%s%s -d '%s'\n", cond, f.long, short, req, quoted(f.text))
		}
	}
}
