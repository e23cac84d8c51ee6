package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/mocks"
)

const mockUsage = `Usage: paydrill mock FILE|builtin:NAME [flags]

Serves each provider of the scenario as a mock payment API on loopback, from
the same behaviour models as virtual time, until Ctrl-C. The generic JSON
protocol and the control API are in docs/protocol.md (OpenAPI:
docs/openapi.yaml); a provider with protocol: epay in the scenario, or
every provider with --protocol epay, speaks the epay aggregator protocol
(submit.php, mapi.php, api.php?act=order, MD5-signed GET notifications; the
merchant key is PAYDRILL_SECRET); --protocol stripe serves a
Stripe-compatible subset (PaymentIntents create/confirm/retrieve,
idempotency keys, webhooks).
Faults start switched off: switch them with the control API,
POST /_paydrill/faults/NAME/on and .../off; POST /_paydrill/clock sets when
scenario time 0 is. Notifications are signed with PAYDRILL_SECRET.

Flags:
%s
Examples:
  paydrill mock scenarios/merchant-freeze.yaml --port 9100
  curl -s -XPOST localhost:9100/v1/payments \
      -d '{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}'
  curl -s -XPOST localhost:9100/_paydrill/faults/alpha-frozen/on
  paydrill mock builtin:silent-freeze --protocol stripe --webhook http://127.0.0.1:8080/stripe
  # inside a container on a drill's network (what run --container starts):
  paydrill mock builtin:merchant-freeze --provider alpha --host 0.0.0.0 --port 8080 \
      --advertise alpha=http://mock-alpha:8080
`

func cmdMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("mock", pflag.ContinueOnError)
	port := fs.Int("port", 0, "first `PORT`: providers listen on PORT, PORT+1, ... in scenario order (default: random ports)")
	protocol := fs.String("protocol", "", "generic, stripe or epay for every provider (default: each provider's protocol in the scenario)")
	onePort := fs.Bool("one-port", false, "serve every provider on one port under /{provider}/")
	scale := fs.Float64("time-scale", 1, "scenario time per wall time: latencies and delays are divided by it")
	webhook := fs.String("webhook", "", "with --protocol stripe, where webhook events go (`URL`)")
	host := fs.String("host", "127.0.0.1", "`ADDR` to listen on; only a mock inside a container needs 0.0.0.0")
	only := fs.StringArray("provider", nil, "serve only this provider (`NAME`, repeat; a container serves one)")
	advertise := fs.StringArray("advertise", nil, "`NAME=URL` a provider's pay pages link to (its address behind a network alias)")
	usage := func() string { return fmt.Sprintf(mockUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "paydrill mock: one scenario file\n\n"+usage())
		return exitUsage
	}
	s, err := loadScenario(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "paydrill mock: %v\n", err)
		return exitUsage
	}
	adv := map[string]string{}
	for _, kv := range *advertise {
		name, u, ok := strings.Cut(kv, "=")
		if !ok || s.ProviderIndex(name) < 0 || !strings.HasPrefix(u, "http") {
			fmt.Fprintf(stderr, "paydrill mock: --advertise %q: want NAME=URL with a provider of the scenario\n", kv)
			return exitUsage
		}
		adv[name] = u
	}
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Protocol: *protocol, Scale: *scale, OnePort: *onePort,
		Secret: []byte(os.Getenv("PAYDRILL_SECRET")), WebhookURL: *webhook, Port: *port,
		Host: *host, Only: *only, Advertise: adv})
	if err != nil {
		fmt.Fprintf(stderr, "paydrill mock: %v\n", err)
		return exitUsage
	}
	defer m.Close()
	urls := m.Providers()
	fmt.Fprintf(stdout, "paydrill mock %s, Ctrl-C to stop:\n", s.Name)
	for _, p := range s.Providers { // scenario order: the order of --port's ports
		if u, ok := urls[p.Name]; ok {
			proto := *protocol
			if proto == "" {
				proto = p.Protocol
			}
			if proto == "" {
				proto = "generic"
			}
			fmt.Fprintf(stdout, "  %s %s (%s)\n", p.Name, u, proto)
		}
	}
	<-ctx.Done()
	return exitPass
}
