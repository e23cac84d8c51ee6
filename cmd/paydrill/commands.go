package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one subcommand of paydrill: its name, the line the top-level
// help gives it, the function that runs it, and the words it takes as its
// own subcommand (for help and completion).
type command struct {
	name    string
	summary string
	subs    []string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is every subcommand, in the order the top-level help lists them.
// help, completion, suggestions and dispatch all read this one list.
func commands() []command {
	return []command{
		{name: "run", summary: "run drills (default: the built-in merchant-freeze drill)", run: cmdRun},
		{name: "sweep", summary: "run a drill over traffic rates and routers: when does failover break?", run: cmdSweep},
		{name: "report", summary: "re-render a saved JSON report (HTML, Markdown, JUnit) or diff two", subs: []string{"render", "diff"}, run: cmdReport},
		{name: "compare", summary: "run the same traffic and faults under several routers, side by side", run: cmdCompare},
		{name: "merge", summary: "merge the partial results of shards (--shard I/N) into one report", run: func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
			return cmdMerge(ctx, args, os.Stdin, stdout, stderr)
		}},
		{name: "kube", summary: "print a Kubernetes Indexed Job running a command's shards", subs: []string{"job"}, run: cmdKube},
		{name: "record", summary: "write a scenario's synthetic orders as a replay file", run: noCtx(cmdRecord)},
		{name: "calibrate", summary: "estimate provider behaviour from a payment history (provider YAML)", run: noCtx(cmdCalibrate)},
		{name: "mock", summary: "serve a scenario's providers as HTTP mocks (generic JSON or Stripe subset)", run: cmdMock},
		{name: "edge", summary: "Toxiproxy and a tap between a router and its providers (container drills)", run: cmdEdge},
		{name: "router", summary: "serve the reference router over HTTP (the contract in docs/sut.md)", run: cmdRouter},
		{name: "validate", summary: "check scenario files and report every error with file:line:col", run: noCtx(cmdValidate)},
		{name: "list", summary: "list the built-in drills", run: noCtx(cmdList)},
		{name: "init", summary: "write a commented starter scenario that validates (drill.yaml)", run: noCtx(cmdInit)},
		{name: "schema", summary: "print the JSON Schema of scenario files (for editors)", run: noCtx(cmdSchema)},
		{name: "version", summary: "print the version (module version and VCS revision of the build)", run: noCtx(cmdVersion)},
		{name: "help", summary: "print this help, or a command's: paydrill help COMMAND", run: cmdHelp},
		{name: "completion", summary: "print a shell completion script: bash, zsh or fish", subs: shells, run: noCtx(cmdCompletion)},
	}
}

// noCtx adapts a command that does not block to the common signature.
func noCtx(f func(args []string, stdout, stderr io.Writer) int) func(context.Context, []string, io.Writer, io.Writer) int {
	return func(_ context.Context, args []string, stdout, stderr io.Writer) int { return f(args, stdout, stderr) }
}

// lookup finds a command by name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// commandList is the Commands block of the top-level help.
func commandList() string {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-11s%s\n", c.name, c.summary)
	}
	return b.String()
}
