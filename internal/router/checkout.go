package router

import "github.com/paydrill/paydrill/internal/payment"

// checkoutRules are the checkout's rules health follows, and that the
// routers of known designs are given too, so that comparing them compares
// routing and not checkout features: at most MaxAttempts attempts; another
// provider after a provider block, a transient failure or a timeout; a
// status query QueryDelay after a timeout before any retry; open async
// payments reconciled by status query CheckAfter after acceptance and at
// expiry.
func checkoutRules(cfg HealthParams) Rules {
	r := Rules{MaxAttempts: cfg.MaxAttempts, QueryUnknown: true, QueryDelay: cfg.QueryDelay,
		Reconcile: !cfg.NoReconcile, CheckAfter: cfg.CheckAfter}
	r.Retry[payment.ProviderBlock] = true
	r.Retry[payment.Transient] = true
	r.Retry[payment.Unknown] = true
	r.Retry[payment.Limit] = true // over a contracted limit: the next channel
	return r
}
