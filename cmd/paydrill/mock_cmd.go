package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/mocks"
)

const mockUsage = `Usage: paydrill mock FILE|builtin:NAME [flags]

Serves each provider of the scenario as a mock payment API on loopback, from
the same behaviour models as virtual time, until Ctrl-C. The generic JSON
protocol and the control API are in docs/protocol.md (OpenAPI:
docs/openapi.yaml); --protocol stripe serves a Stripe-compatible subset
(PaymentIntents create/confirm/retrieve, idempotency keys, webhooks).
Faults start switched off: switch them with the control API,
POST /_paydrill/faults/NAME/on and .../off. Notifications are signed with
PAYDRILL_SECRET.

Flags:
%s
Examples:
  paydrill mock scenarios/merchant-freeze.yaml --port 9100
  curl -s -XPOST localhost:9100/v1/payments -d '{"merchant_order_id":"o1","amount":1500,"currency":"USD","method":"card"}'
  curl -s -XPOST localhost:9100/_paydrill/faults/alpha-frozen/on
  paydrill mock builtin:silent-freeze --protocol stripe --webhook http://127.0.0.1:8080/stripe
`

func cmdMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("mock", pflag.ContinueOnError)
	port := fs.Int("port", 0, "first `PORT`: providers listen on PORT, PORT+1, ... in scenario order (default: random ports)")
	protocol := fs.String("protocol", "generic", "generic or stripe")
	onePort := fs.Bool("one-port", false, "serve every provider on one port under /{provider}/")
	scale := fs.Float64("time-scale", 1, "scenario time per wall time: latencies and delays are divided by it")
	webhook := fs.String("webhook", "", "with --protocol stripe, where webhook events go (`URL`)")
	usage := func() string { return fmt.Sprintf(mockUsage, fs.FlagUsages()) }
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
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Protocol: *protocol, Scale: *scale, OnePort: *onePort,
		Secret: []byte(os.Getenv("PAYDRILL_SECRET")), WebhookURL: *webhook, Port: *port})
	if err != nil {
		fmt.Fprintf(stderr, "paydrill mock: %v\n", err)
		return exitUsage
	}
	defer m.Close()
	urls := m.Providers()
	fmt.Fprintf(stdout, "paydrill mock %s (%s protocol), Ctrl-C to stop:\n", s.Name, *protocol)
	for _, p := range s.Providers { // scenario order: the order of --port's ports
		fmt.Fprintf(stdout, "  %s %s\n", p.Name, urls[p.Name])
	}
	<-ctx.Done()
	return exitPass
}
