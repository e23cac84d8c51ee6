package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/internal/sut"
	"github.com/paydrill/paydrill/reports"
)

// wallOptions are run's wall-clock flags.
type wallOptions struct {
	live        bool
	sut         string
	scale       float64
	allowRemote bool
	mockPort    int
	container   string
	image       string
	tuned       bool // a wall-clock-only flag was given
	imageSet    bool // --paydrill-image was given
	// spec is the scenario's router.container, when it names the router.
	spec  *scenario.RouterContainer
	build string // spec's build directory, relative to the working directory
}

func (w *wallOptions) register(fs *pflag.FlagSet) {
	fs.BoolVar(&w.live, "live", false, "wall-clock drill over HTTP: mock providers and the built-in router on loopback ports")
	fs.StringVar(&w.sut, "sut", "", "wall-clock drill against the router under test at `URL` (see docs/sut.md); loopback only unless --allow-remote")
	fs.Float64Var(&w.scale, "time-scale", 1, "with --live or --sut, compress scenario time `K` times (60: an hour in a minute)")
	fs.BoolVar(&w.allowRemote, "allow-remote", false, "let --sut point outside loopback")
	fs.StringVar(&w.container, "container", "", "wall-clock drill against the router in `IMAGE`, with the mock providers in containers on a private network (paydrill:dev runs `paydrill router FILE`; see docs/containers.md)")
	fs.StringVar(&w.image, "paydrill-image", sut.DefaultImage, "with --container, the paydrill `IMAGE` the mock providers and the edge run (make image builds it)")
	fs.IntVar(&w.mockPort, "mock-port", 0, "with --sut, serve the mock providers on `PORT`, PORT+1, ... in scenario order (default: random ports, printed)")
}

func (w *wallOptions) on() bool { return w.live || w.sut != "" || w.container != "" }

// checkUsed refuses wall-clock flags for a drill that runs in virtual time.
func (w *wallOptions) checkUsed() error {
	if w.tuned && !w.on() {
		return errWallOnly
	}
	if w.imageSet && w.container == "" {
		return fmt.Errorf("--paydrill-image goes with --container (or a scenario's router.container)")
	}
	return nil
}

// errWallOnly: wall-clock settings for a virtual-time drill.
var errWallOnly = fmt.Errorf("--time-scale, --allow-remote and --mock-port go with --live, --sut or --container (or a scenario's router.http or router.container)")

// check reports a usage error in the wall-clock flags (exit 2). Whether
// --time-scale and the like are used is known per scenario (router.http
// and router.container make a wall-clock drill): checkUsed tells.
func (w *wallOptions) check(fs *pflag.FlagSet) error {
	w.tuned = fs.Changed("time-scale") || fs.Changed("allow-remote") || fs.Changed("mock-port")
	w.imageSet = fs.Changed("paydrill-image")
	switch {
	case w.live && w.sut != "":
		return fmt.Errorf("--live runs the built-in router; --sut names yours: give one")
	case w.container != "" && (w.live || w.sut != ""):
		return fmt.Errorf("--container starts the router under test; --live and --sut name another: give one")
	case w.scale < 1:
		return fmt.Errorf("--time-scale %g: at least 1", w.scale)
	case w.mockPort < 0 || w.mockPort > 65535:
		return fmt.Errorf("--mock-port %d: not a port", w.mockPort)
	case w.sut != "":
		return drill.CheckSUT(w.sut, w.allowRemote)
	}
	return nil
}

// runWall runs one scenario in wall-clock time.
func runWall(ctx context.Context, file string, s *scenario.Scenario, opt runOptions, progress func(sim.Progress), stderr io.Writer) (*reports.Report, error) {
	w := opt.wall
	secret := []byte(os.Getenv("PAYDRILL_SECRET"))
	var stage func(context.Context) (drill.Stage, error)
	if w.container != "" {
		if len(secret) == 0 {
			secret = randomSecret()
		}
		stage = startStage(file, s, opt, secret, stderr)
	}
	return drill.RunWall(ctx, s, drill.WallOptions{
		File: file, Router: opt.router, Seed: opt.seed, SUT: w.sut, AllowRemote: w.allowRemote,
		Scale: w.scale, Secret: secret, Progress: progress, MockPort: w.mockPort,
		Stage: stage, Container: w.container,
		OnMocks: func(urls map[string]string) {
			if w.sut == "" || opt.quiet {
				return
			}
			names := make([]string, 0, len(urls))
			for n := range urls {
				names = append(names, n)
			}
			sort.Strings(names)
			fmt.Fprintln(stderr, "paydrill: mock providers for the router under test:")
			for _, n := range names {
				fmt.Fprintf(stderr, "  %s %s\n", n, urls[n])
			}
		},
	})
}
