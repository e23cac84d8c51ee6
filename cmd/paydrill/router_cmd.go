package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/httpserver"
	"github.com/paydrill/paydrill/internal/router"
)

const routerUsage = `Usage: paydrill router FILE|builtin:NAME [flags]

Serves the reference router over HTTP: the contract a router under test
implements (docs/sut.md). It takes orders (POST /v1/orders), routes them to
the scenario's providers over the mocks' generic JSON protocol, takes their
notifications (POST /v1/notify/{provider}), and answers GET /v1/orders/{id}.
The scenario gives the providers and the router's settings; each provider's
URL comes from --provider NAME=URL or the environment variable
PAYDRILL_PROVIDER_<NAME> (upper case, dashes as underscores). Notifications
must be signed with PAYDRILL_SECRET, timestamped within 5 minutes, and
match a payment the router asked that provider for (order, payment id,
amount, currency); others are refused and counted (GET /v1/stats). Without
PAYDRILL_SECRET the router will not start, unless --unsigned says the
drill is unsigned (every report then says so). Providers notify the listening address,
or --advertise (PAYDRILL_ROUTER_URL) where they reach the router by another
name, as on a drill's container network.

Flags:
%s
Examples:
  paydrill mock scenarios/merchant-freeze.yaml --port 9100 &
  paydrill router scenarios/merchant-freeze.yaml --listen 127.0.0.1:8080 \
      --provider alpha=http://127.0.0.1:9100 --provider beta=http://127.0.0.1:9101 \
      --provider gamma=http://127.0.0.1:9102 --provider delta=http://127.0.0.1:9103
  curl -s -XPOST localhost:8080/v1/orders \
      -d '{"order_id":"o1","amount":1500,"currency":"USD","method":"card"}'
`

func cmdRouter(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("router", pflag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "`ADDR` to listen on")
	strategy := fs.String("router", "", "strategy (default: the scenario's)")
	provs := fs.StringArray("provider", nil, "a provider's base URL, `NAME=URL` (repeat)")
	scale := fs.Float64("time-scale", 1, "scenario time per wall time, as the drill's --time-scale")
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's)")
	advertise := fs.String("advertise", os.Getenv("PAYDRILL_ROUTER_URL"), "base `URL` providers notify, when not the listening address (env PAYDRILL_ROUTER_URL; a container's network alias)")
	unsigned := fs.Bool("unsigned", false, "take notifications without a signature (a drill without PAYDRILL_SECRET; reports say so)")
	usage := func() string { return fmt.Sprintf(routerUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "paydrill router: one scenario file\n\n"+usage())
		return exitUsage
	}
	s, err := loadScenario(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	urls := map[string]string{}
	for _, p := range s.Providers {
		if u := os.Getenv("PAYDRILL_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(p.Name, "-", "_"))); u != "" {
			urls[p.Name] = u
		}
	}
	for _, kv := range *provs {
		name, u, ok := strings.Cut(kv, "=")
		if !ok || s.ProviderIndex(name) < 0 {
			fmt.Fprintf(stderr, "paydrill router: --provider %q: want NAME=URL with a provider of the scenario\n", kv)
			return exitUsage
		}
		urls[name] = u
	}
	if *seed == 0 {
		*seed = s.Seed
	}
	svc, err := router.NewService(router.ServiceOptions{Scenario: s, Strategy: *strategy, Seed: *seed,
		Providers: urls, Secret: []byte(os.Getenv("PAYDRILL_SECRET")), Unsigned: *unsigned, Scale: *scale})
	if errors.Is(err, router.ErrNoSecret) {
		fmt.Fprintf(stderr, "paydrill router: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "paydrill router: %v (set --provider or PAYDRILL_PROVIDER_<NAME>)\n", err)
		return exitUsage
	}
	defer svc.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "paydrill router: %v\n", err)
		return exitAborted
	}
	if *advertise != "" {
		svc.SetNotifyBase(strings.TrimSuffix(*advertise, "/"))
	} else {
		svc.SetNotifyBase("http://" + ln.Addr().String())
	}
	srv := httpserver.New(svc.Handler())
	fmt.Fprintf(stdout, "paydrill router (%s) on http://%s\n", s.Router.Strategy, ln.Addr())
	return serveUntilDone(ctx, srv, httpserver.LimitConns(ln, 0), stderr)
}

// serveUntilDone serves until ctx ends (Ctrl-C), then shuts down gracefully.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, stderr io.Writer) int {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "paydrill: %v\n", err)
		return exitAborted
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "paydrill: %v\n", err)
	}
	return exitPass
}
