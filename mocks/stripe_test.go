package mocks

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// stripeClient is the official client pointed at a mock.
func stripeClient(url string) *stripe.Client {
	return stripe.NewClient("sk_test_paydrill", stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(url),
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	})))
}

func intentParams(orderID string) *stripe.PaymentIntentCreateParams {
	p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1250), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"})}
	p.AddMetadata("order_id", orderID)
	p.AddMetadata("category", "game-keys")
	return p
}

func TestStripeAPIVersion(t *testing.T) {
	if StripeAPIVersion != stripe.APIVersion {
		t.Errorf("StripeAPIVersion %q, stripe-go expects %q", StripeAPIVersion, stripe.APIVersion)
	}
}

func TestStripeSync(t *testing.T) {
	providers := syncAlpha + "  - {name: picky, flow: sync, decline_rate: 1, decline_codes: {insufficient_funds: 1}}\n"
	ctx := context.Background()

	t.Run("create and confirm", func(t *testing.T) {
		l, _ := liveOf(t, providers, "", "alpha")
		sc := stripeClient(serveHandler(t, NewStripeHandler(l, testOptions("whsec_x"))).URL)
		pi, err := sc.V1PaymentIntents.Create(ctx, intentParams("o-1"))
		if err != nil {
			t.Fatal(err)
		}
		if pi.Status != stripe.PaymentIntentStatusRequiresConfirmation || pi.Metadata["order_id"] != "o-1" {
			t.Fatalf("created: status %q metadata %v", pi.Status, pi.Metadata)
		}
		pi, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if pi.Status != stripe.PaymentIntentStatusSucceeded || pi.AmountReceived != 1250 {
			t.Errorf("confirmed: status %q received %d, want succeeded 1250", pi.Status, pi.AmountReceived)
		}
		if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil); !isStripeError(err, 400, "payment_intent_unexpected_state") {
			t.Errorf("confirming a succeeded intent: %v", err)
		}
		if a := l.Attempts(0); len(a) != 1 || a[0].OrderID != "o-1" || !a[0].Captured {
			t.Errorf("attempts %+v, want one captured for o-1", a)
		}
	})

	t.Run("decline", func(t *testing.T) {
		l, _ := liveOf(t, providers, "", "picky")
		sc := stripeClient(serveHandler(t, NewStripeHandler(l, testOptions("whsec_x"))).URL)
		p := intentParams("o-2")
		p.Confirm = stripe.Bool(true)
		_, err := sc.V1PaymentIntents.Create(ctx, p)
		var se *stripe.Error
		if !errors.As(err, &se) {
			t.Fatalf("decline: %v, want a *stripe.Error", err)
		}
		if se.HTTPStatusCode != 402 || se.Type != stripe.ErrorTypeCard || se.Code != stripe.ErrorCodeCardDeclined ||
			se.DeclineCode != stripe.DeclineCodeInsufficientFunds {
			t.Errorf("decline: %d %s %s %s", se.HTTPStatusCode, se.Type, se.Code, se.DeclineCode)
		}
		if se.PaymentIntent == nil || se.PaymentIntent.Status != stripe.PaymentIntentStatusRequiresPaymentMethod {
			t.Fatalf("decline: payment_intent %+v, want requires_payment_method", se.PaymentIntent)
		}
		pi, err := sc.V1PaymentIntents.Retrieve(ctx, se.PaymentIntent.ID, nil)
		if err != nil || pi.LastPaymentError == nil || pi.LastPaymentError.DeclineCode != stripe.DeclineCodeInsufficientFunds {
			t.Errorf("retrieve after decline: %+v %v", pi, err)
		}
	})

	t.Run("idempotent replay", func(t *testing.T) {
		l, _ := liveOf(t, providers, "", "alpha")
		sc := stripeClient(serveHandler(t, NewStripeHandler(l, testOptions("whsec_x"))).URL)
		var ids []string
		for range 2 {
			p := intentParams("o-3")
			p.Confirm = stripe.Bool(true)
			p.SetIdempotencyKey("order-o-3")
			pi, err := sc.V1PaymentIntents.Create(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, pi.ID)
		}
		if ids[0] != ids[1] {
			t.Errorf("same Idempotency-Key gave intents %v", ids)
		}
		if n := len(l.Attempts(0)); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
		pi, err := sc.V1PaymentIntents.Create(ctx, intentParams("o-3"))
		if err != nil || pi.ID == ids[0] {
			t.Errorf("without the key: %v %v, want a new intent", pi, err)
		}
	})

	t.Run("rate limited and down", func(t *testing.T) {
		faults := "  - {name: down, type: outage, at: 1m, target: {providers: [alpha]}}\n"
		l, _ := liveOf(t, providers, faults, "alpha")
		sc := stripeClient(serveHandler(t, NewStripeHandler(l, testOptions("whsec_x"))).URL)
		l.SetFault("down", true)
		p := intentParams("o-4")
		p.Confirm = stripe.Bool(true)
		if _, err := sc.V1PaymentIntents.Create(ctx, p); !isStripeError(err, 500, "") {
			t.Errorf("outage: %v, want a 500 api_error", err)
		}
	})
}

func isStripeError(err error, status int, code stripe.ErrorCode) bool {
	var se *stripe.Error
	return errors.As(err, &se) && se.HTTPStatusCode == status && se.Code == code
}

func TestStripeAsyncWebhook(t *testing.T) {
	const secret = "whsec_paydrill"
	l, _ := liveOf(t, asyncPay, "", "pay")
	rcv, got := receiver(t)
	opt := testOptions(secret)
	opt.WebhookURL = rcv.URL + "/stripe"
	srv := serveHandler(t, NewStripeHandler(l, opt))
	sc := stripeClient(srv.URL)
	ctx := context.Background()

	p := intentParams("o-5")
	p.Confirm = stripe.Bool(true)
	pi, err := sc.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != stripe.PaymentIntentStatusRequiresAction || pi.NextAction == nil || pi.NextAction.RedirectToURL == nil {
		t.Fatalf("confirmed async: status %q next_action %+v, want requires_action with a redirect", pi.Status, pi.NextAction)
	}
	payPage := pi.NextAction.RedirectToURL.URL
	if !strings.HasPrefix(payPage, srv.URL+"/pay/") {
		t.Fatalf("redirect to %q, want the mock's pay page", payPage)
	}
	if code, _, b := call(t, "POST", payPage, nil); code != http.StatusOK {
		t.Fatalf("pay: %d %s", code, b)
	}

	n := next(t, got)
	ev, err := webhook.ConstructEvent(n.body, n.header.Get("Stripe-Signature"), secret)
	if err != nil {
		t.Fatalf("ConstructEvent: %v\n%s", err, n.body)
	}
	if ev.Type != stripe.EventTypePaymentIntentSucceeded || ev.Data.Object["id"] != pi.ID {
		t.Errorf("event %s for %v, want payment_intent.succeeded for %s", ev.Type, ev.Data.Object["id"], pi.ID)
	}
	if ev.Data.Object["status"] != "succeeded" {
		t.Errorf("event's intent status %v, want succeeded", ev.Data.Object["status"])
	}
	tampered := []byte(strings.Replace(string(n.body), "1250", "1", 1))
	if _, err := webhook.ConstructEvent(tampered, n.header.Get("Stripe-Signature"), secret); err == nil {
		t.Error("ConstructEvent accepted a tampered event")
	}
	if err := VerifySignature([]byte(secret), n.header.Get("Stripe-Signature"), n.body, time.Now(), 5*time.Minute); err != nil {
		t.Errorf("VerifySignature on a Stripe event: %v", err)
	}
	pi, err = sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || pi.Status != stripe.PaymentIntentStatusSucceeded {
		t.Errorf("retrieve after pay: %v %v", pi, err)
	}
}
