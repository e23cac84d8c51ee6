package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/edge"
)

const edgeUsage = `Usage: paydrill edge --route NAME=LISTEN=UPSTREAM ... [flags]

Stands between a router under test and its providers, as run --container
starts it on the drill's network: for each route a Toxiproxy proxy on
LISTEN (the TCP faults of toxic faults) in front of a tap that logs every
create-payment call on its way to UPSTREAM, the provider's mock. The API
(--api) is Toxiproxy's HTTP API, plus GET /_paydrill/edge/attempts (the
tap's log) and POST /_paydrill/clock (scenario time 0).

Flags:
%s
Examples:
  paydrill mock builtin:merchant-freeze --provider alpha --port 9100 &
  paydrill edge --route alpha=127.0.0.1:8100=http://127.0.0.1:9100 --api 127.0.0.1:8474 &
  curl -s -XPOST localhost:8474/proxies/alpha/toxics \
      -d '{"type":"latency","stream":"downstream","attributes":{"latency":2000}}'
  curl -s localhost:8474/_paydrill/edge/attempts
`

func cmdEdge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("edge", pflag.ContinueOnError)
	routes := fs.StringArray("route", nil, "a provider's route, `NAME=LISTEN=UPSTREAM` (repeat)")
	api := fs.String("api", "127.0.0.1:8474", "`ADDR` of the API")
	scale := fs.Float64("time-scale", 1, "scenario time per wall time, as the drill's --time-scale")
	verbose := fs.Bool("verbose", false, "print Toxiproxy's log to stderr")
	usage := func() string { return fmt.Sprintf(edgeUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if len(*routes) == 0 || fs.NArg() > 0 {
		fmt.Fprint(stderr, "paydrill edge: give one --route per provider, and no arguments\n\n"+usage())
		return exitUsage
	}
	opt := edge.Options{API: *api, Scale: *scale}
	if *verbose {
		opt.Log = stderr
	}
	for _, r := range *routes {
		parts := strings.SplitN(r, "=", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			fmt.Fprintf(stderr, "paydrill edge: --route %q: want NAME=LISTEN=UPSTREAM, like alpha=0.0.0.0:8100=http://mock-alpha:8080\n", r)
			return exitUsage
		}
		opt.Routes = append(opt.Routes, edge.Route{Name: parts[0], Listen: parts[1], Upstream: parts[2]})
	}
	e, err := edge.Start(opt)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill %v\n", err)
		return exitAborted
	}
	defer e.Close()
	fmt.Fprintf(stdout, "paydrill edge, API on %s, Ctrl-C to stop:\n", e.APIURL())
	for _, r := range opt.Routes {
		fmt.Fprintf(stdout, "  %s %s -> %s\n", r.Name, e.Addr(r.Name), r.Upstream)
	}
	<-ctx.Done()
	return exitPass
}
