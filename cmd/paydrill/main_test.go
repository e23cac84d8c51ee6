package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// paydrill runs the command line in-process and returns the exit code and
// what it wrote.
func paydrill(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDispatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		code       int
		stdout     string // substring; "" means stdout must be empty
		stderr     string // substring; "" means stderr must be empty
		wantStdout bool
	}{
		{args: nil, code: exitUsage, stderr: "Usage:\n  paydrill <command>"},
		{args: []string{"frobnicate"}, code: exitUsage, stderr: `paydrill: unknown command "frobnicate"`},
		{args: []string{"--bogus"}, code: exitUsage, stderr: `unknown command "--bogus"`},
		{args: []string{"help"}, code: exitPass, stdout: "Usage:\n  paydrill <command>"},
		{args: []string{"-h"}, code: exitPass, stdout: "Commands:"},
		{args: []string{"--help"}, code: exitPass, stdout: "Examples:"},
		{args: []string{"version"}, code: exitPass, stdout: "paydrill "},
		{args: []string{"--version"}, code: exitPass, stdout: "paydrill "},
		{args: []string{"validate"}, code: exitUsage, stderr: "paydrill validate: no files given"},
	} {
		code, stdout, stderr := paydrill(t, context.Background(), tc.args...)
		if code != tc.code {
			t.Errorf("paydrill %q: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
		}
		for _, s := range []struct{ name, got, want string }{{"stdout", stdout, tc.stdout}, {"stderr", stderr, tc.stderr}} {
			switch {
			case s.want == "" && s.got != "":
				t.Errorf("paydrill %q: %s = %q, want it empty", tc.args, s.name, s.got)
			case !strings.Contains(s.got, s.want):
				t.Errorf("paydrill %q: %s = %q, want it to hold %q", tc.args, s.name, s.got, s.want)
			}
		}
	}
}

// Every subcommand documents itself with examples under --help, and
// asking for help is not an error.
func TestSubcommandHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"run", "validate", "list", "schema"} {
		for _, flag := range []string{"--help", "-h"} {
			code, stdout, stderr := paydrill(t, context.Background(), cmd, flag)
			if code != exitPass {
				t.Errorf("paydrill %s %s: exit %d, want %d", cmd, flag, code, exitPass)
			}
			text := stdout + stderr
			if !strings.Contains(text, "Examples:\n  paydrill "+cmd) {
				t.Errorf("paydrill %s %s: help has no Examples block starting with 'paydrill %s':\n%s", cmd, flag, cmd, text)
			}
			if !strings.Contains(text, "Usage: paydrill "+cmd) {
				t.Errorf("paydrill %s %s: help has no usage line:\n%s", cmd, flag, text)
			}
		}
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := paydrill(t, context.Background(), "list")
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill list: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
	var names []string
	desc := map[string]string{}
	for line := range strings.Lines(stdout) {
		name, rest, _ := strings.Cut(strings.TrimRight(line, "\n"), " ")
		names = append(names, name)
		desc[name] = strings.TrimSpace(rest)
	}
	for _, want := range []string{"builtin:merchant-freeze", "builtin:silent-freeze", "builtin:timeout-storm"} {
		if !slices.Contains(names, want) {
			t.Errorf("paydrill list: %q missing from %q", want, names)
		}
		if desc[want] == "" {
			t.Errorf("paydrill list: %s has no description", want)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("paydrill list: names %q are not sorted", names)
	}
	if got, want := desc["builtin:merchant-freeze"], "The primary channel suspends the merchant for 20 minutes."; got != want {
		t.Errorf("paydrill list: merchant-freeze description %q, want %q", got, want)
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := paydrill(t, context.Background(), "schema")
	if code != exitPass || stderr != "" {
		t.Fatalf("paydrill schema: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("paydrill schema: output is not valid JSON:\n%s", stdout)
	}
	if !strings.HasSuffix(stdout, "}\n") {
		t.Errorf("paydrill schema: output does not end in a newline")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc) == 0 {
		t.Error("paydrill schema: empty JSON object")
	}
	for _, field := range []string{"failover_within", "providers", "arrivals"} {
		if !strings.Contains(stdout, `"`+field+`"`) {
			t.Errorf("paydrill schema: no %q in the schema", field)
		}
	}
}

// A bad flag is a usage error (exit 2) for every subcommand.
func TestBadFlagExitCode(t *testing.T) {
	t.Parallel()
	for _, args := range badFlags {
		if code, stdout, _ := paydrill(t, context.Background(), args...); code != exitUsage || stdout != "" {
			t.Errorf("paydrill %q: exit %d, stdout %q; want %d and nothing", args, code, stdout, exitUsage)
		}
	}
}

var badFlags = [][]string{
	{"run", "--bogus"},
	{"run", "--seed", "abc"},
	{"validate", "--nope", "x.yaml"},
	{"list", "--nope"},
	{"schema", "--nope"},
}

// pflag v1.1.0 prints nothing itself under ContinueOnError (its fail()
// only calls Usage for the other modes), and flagExit drops the error: a
// mistyped flag exits 2 with an empty stderr.
func TestBadFlagSaysWhy(t *testing.T) {
	for _, args := range badFlags {
		_, _, stderr := paydrill(t, context.Background(), args...)
		flag := strings.TrimLeft(args[1], "-")
		if !strings.Contains(stderr, flag) {
			t.Errorf("paydrill %q: stderr %q does not name the bad flag %q", args, stderr, flag)
		}
	}
}

// A panic is a bug, never bad input: it exits 70 with a message asking
// for a report and the command that reproduces it. (Writing the list of
// drills to a nil stdout panics inside the command.)
func TestPanicIsInternalError(t *testing.T) {
	var stderr strings.Builder
	code := run(context.Background(), []string{"list", "it's 3"}, nil, &stderr)
	if code != exitInternal {
		t.Errorf("a panic exited %d, want %d", code, exitInternal)
	}
	for _, want := range []string{"paydrill: internal error: ", "This is a bug in paydrill", "issues",
		`  paydrill list 'it'\''s 3'` + "\n", "goroutine "} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr:\n%s\nwant it to hold %q", stderr.String(), want)
		}
	}
}
