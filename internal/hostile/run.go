package hostile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// stderrCap bounds what is kept of one process's stderr.
const stderrCap = 64 << 10

// Outcome is an input and what validate and run did with it.
type Outcome struct {
	Input    Input
	Results  []Result // validate, then run
	Breaches []string // "validate: exit 0; want 2 (bad input)"
}

// Run writes each input into a directory of its own under dir and feeds
// its scenario to `bin validate FILE` and `bin run FILE --progress off`
// (virtual time), one process at a time, judging each by Judge. progress,
// when not nil, gets a line per input.
func Run(ctx context.Context, bin, dir string, inputs []Input, lim Limits, progress io.Writer) ([]Outcome, error) {
	out := make([]Outcome, 0, len(inputs))
	for i, in := range inputs {
		wd := filepath.Join(dir, fmt.Sprintf("%03d", i))
		if err := os.MkdirAll(wd, 0o755); err != nil {
			return nil, err
		}
		for name, content := range in.Files {
			if err := writeFile(filepath.Join(wd, name), content); err != nil {
				return nil, err
			}
		}
		o := Outcome{Input: in}
		for _, args := range [][]string{{"validate", in.Scenario}, {"run", in.Scenario, "--progress", "off"}} {
			r, err := exec1(ctx, bin, wd, args, lim)
			if err != nil {
				return nil, err
			}
			o.Results = append(o.Results, r)
			for _, b := range Judge(in, r, lim) {
				o.Breaches = append(o.Breaches, r.Command+": "+b)
			}
		}
		if progress != nil {
			verdict := "ok"
			if len(o.Breaches) > 0 {
				verdict = fmt.Sprintf("BROKE %d", len(o.Breaches))
			}
			fmt.Fprintf(progress, "%3d/%d %-45s validate %2d  run %2d  %s\n", i+1, len(inputs), in.Name, o.Results[0].Code, o.Results[1].Code, verdict)
		}
		out = append(out, o)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

func writeFile(path string, content Content) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := content(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// exec1 runs bin with args in dir and measures it. Only a failure to
// start the process is an error; an exit code, a kill or a crash is a
// Result.
func exec1(ctx context.Context, bin, dir string, args []string, lim Limits) (Result, error) {
	kill := lim.Kill
	if kill == 0 {
		kill = 6 * lim.Wall
	}
	ctx, cancel := context.WithTimeout(ctx, kill)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	stderr := &capped{max: stderrCap}
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	start := time.Now()
	err := cmd.Run()
	r := Result{Command: args[0], Wall: time.Since(start), Stderr: stderr.String(), RSS: -1}
	if cmd.ProcessState == nil {
		return r, fmt.Errorf("hostile: %s %s: %w", bin, args[0], err)
	}
	r.RSS = peakRSS(cmd.ProcessState)
	r.Code = cmd.ProcessState.ExitCode() // -1 when killed by a signal
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return r, fmt.Errorf("hostile: %s %s: %w", bin, args[0], err)
	}
	return r, nil
}

// capped keeps the first max bytes written to it and drops the rest.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
