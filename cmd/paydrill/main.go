// Command paydrill rehearses payment-channel failover: it runs a drill
// scenario (traffic, mock providers, faults on a timeline) against a
// router and judges how fast business moved to a healthy channel.
//
// All behaviour lives in packages; this command parses flags, wires
// output and maps results to exit codes.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/paydrill/paydrill/internal/crash"
	"github.com/paydrill/paydrill/internal/earlysignal"
)

// Exit codes.
const (
	exitPass    = 0 // every expectation held
	exitFail    = 1 // an expectation failed
	exitUsage   = 2 // invalid input or usage
	exitAborted = 3 // the run could not be carried out (or was interrupted)
	// Reserved for the outcomes being added (issues 11, 12, 13); a run of
	// several drills exits with the most severe code: 70, 3, 1, 5, 4, 0.
	exitInconclusive = 4  // the data could not decide an expectation
	exitInvalid      = 5  // the drill itself fell behind: the run says nothing about the router
	exitInternal     = 70 // a bug in paydrill (a recovered panic)
)

// worse is the more severe of two exit codes, in the order 70, 3, 2, 1,
// 5, 4, 0: a failed drill outweighs one that could not decide.
func worse(a, b int) int {
	rank := func(c int) int {
		switch c {
		case exitPass:
			return 0
		case exitInconclusive:
			return 1
		case exitInvalid:
			return 2
		case exitFail:
			return 3
		case exitUsage:
			return 4
		case exitAborted:
			return 5
		}
		return 6
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// usage is the top-level help; its command list comes from commands().
func usage() string {
	return usageHead + commandList() + usageTail
}

const usageHead = `paydrill rehearses payment-channel failover.

It sends synthetic orders through a router to mock payment providers,
freezes, slows or silences providers on a timeline written in a scenario
file, and measures how fast routing recovers: time to detect, time to fail
over, orders lost, payments taken twice, payments taken without goods
delivered. The verdict is judged against the scenario's expectations
(fail over within 10m by default).

Usage:
  paydrill <command> [flags] [args]

Commands:
`

const usageTail = `
Examples:
  paydrill run                                   # built-in default drill, virtual time
  paydrill run scenarios/silent-freeze.yaml --router priority
  paydrill run builtin:timeout-storm --json report.json
  paydrill sweep scenarios/silent-freeze.yaml --rates 1/min,10/min,1/s --routers health,priority
  paydrill report diff old.json new.json --threshold 10%
  paydrill compare builtin:merchant-freeze --routers health,success-rate,static
  paydrill record builtin:merchant-freeze --out orders.csv
  paydrill calibrate attempts.csv > providers.yaml
  paydrill init my-drill.yaml                    # a commented starter drill
  paydrill validate scenarios/*.yaml
  paydrill schema > paydrill.schema.json
  source <(paydrill completion bash)

Exit codes: 0 pass, 1 an expectation failed, 2 invalid input or usage,
3 the run could not be carried out (or was interrupted), 4 inconclusive
(the traffic could not decide an expectation; the report says why),
70 internal error (a bug in paydrill; the message says how to report it).

Run 'paydrill help <command>' (or 'paydrill <command> --help') for a
command's flags and examples.
`

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	// Signals are caught from package initialisation on (earlysignal).
	go interrupts(earlysignal.C, cancel, time.Now, func() {
		// A third signal, during the clean up, ends the process at once.
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		secondInterrupt(os.Stderr, os.Exit)
	})
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}

// run dispatches a command line; it returns the exit code. A panic,
// here or on a goroutine of a crash.Group, is a bug: it exits 70 with a
// message asking for a report and the line that reproduces it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = internalError(stderr, args, crash.Recovered(v))
		}
	}()
	return dispatch(ctx, args, stdout, stderr)
}

// internalError reports a recovered panic; it returns exitInternal.
func internalError(w io.Writer, args []string, p *crash.Panic) int {
	fmt.Fprintf(w, `paydrill: internal error: %v

This is a bug in paydrill, not a problem with your input. Please report it
at https://github.com/paydrill/paydrill/issues with this whole message, the
files it names and the command that reproduces it:

  %s

%s`, p.Value, reproduce(args), p.Stack)
	return exitInternal
}

// reproduce is the command line as a shell would take it back.
func reproduce(args []string) string {
	q := make([]string, 0, len(args)+1)
	q = append(q, "paydrill")
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$`\\|&;<>()*?[]{}~#!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}

// dispatch runs one command.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "--version":
		name = "version"
	case "-h", "--help":
		name = "help"
	}
	if c, ok := lookup(name); ok {
		return c.run(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "paydrill: unknown command %q%s\nRun 'paydrill help' for the list of commands.\n", name, suggestion(name))
	return exitUsage
}
