package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
)

// badCases maps each file in testdata/bad to the exact error Load gives.
var badCases = map[string]string{
	"router_container.yaml": "router_container.yaml:9:3: router.container: router.http names a running router, router.container starts one: give one\nrouter_container.yaml:9:3: router.container.image: required: the image to run (or to keep a build under), like myrouter:drill\nrouter_container.yaml:10:11: router.container.port: 70000 is not a port\nrouter_container.yaml:11:13: router.container.health: \"healthz\" is not a path like /healthz",
	"fault_container.yaml":  "fault_container.yaml:9:26: faults[0].toxic: unknown toxic \"jam\" (known: bandwidth, latency, reset_peer, slow_close, timeout)\nfault_container.yaml:10:47: faults[1].attributes.latency: a latency toxic needs latency more than 0 (milliseconds)\nfault_container.yaml:10:56: faults[1].attributes.latncy: a latency toxic has no attribute \"latncy\" (it takes latency, jitter)\nfault_container.yaml:11:65: faults[2].match: a pause fault acts on whole connections, not on some orders: drop match\nfault_container.yaml:11:94: faults[2].flap: a pause fault does not flap: write several faults\nfault_container.yaml:12:26: faults[3].toxic: only a toxic fault takes a toxic\nfault_container.yaml:12:39: faults[3].at: this crash of alpha (10m to 30m) overlaps the pause of faults[2] (10m to 30m): a provider's container is paused, crashed or cut off by one fault at a time",
	"crash_pause.yaml": "crash_pause.yaml:12:32: faults[1].at: this pause of alpha (12m to 22m) overlaps the crash of faults[0] (10m to 20m): a provider's container is paused, crashed or cut off by one fault at a time\n" +
		"crash_pause.yaml:13:32: faults[2].at: this pause of alpha (20m to 25m) overlaps the pause of faults[1] (12m to 22m): a provider's container is paused, crashed or cut off by one fault at a time",
	"bad_duration.yaml": `bad_duration.yaml:2:11: duration: "30 minutes" is not a duration (write it like 90s, 10m or 1h30m)`,
	"bad_flow.yaml":     `bad_flow.yaml:7:25: providers[0].flow: "redirect" is not a flow (sync, async)`,
	"bad_contract_limits.yaml": "bad_contract_limits.yaml:8:19: providers[0].limits.min: 50 is above max 10\n" +
		"bad_contract_limits.yaml:8:39: providers[0].limits.daily: -1 is not an amount (major units, 0 for no limit)\n" +
		"bad_contract_limits.yaml:8:61: providers[0].limits.methods.wechat: method \"wechat\" is not in traffic.methods (have alipay, card)\n" +
		"bad_contract_limits.yaml:8:83: providers[0].limits.methods.card.min: 9 is above max 3\n" +
		"bad_contract_limits.yaml:11:11: providers[1].flow: an epay provider is async (the buyer pays on the gateway's page); drop flow or set it to async",
	"bad_limit.yaml":             `bad_limit.yaml:9:20: expect.failover_within: "never" is neither a duration nor off (write it like 10m, or off)`,
	"bad_probability.yaml":       `bad_probability.yaml:8:19: providers[0].decline_rate: 1.5 is not between 0 and 1`,
	"bad_rate_unit.yaml":         `bad_rate_unit.yaml:4:35: traffic.arrivals.rate: rate "20/day": unit "day" is not one of s, min, h`,
	"bad_router_http.yaml":       `bad_router_http.yaml:8:9: router.http: "127.0.0.1:8080" is not an http(s) URL like http://127.0.0.1:8080`,
	"bad_router_order.yaml":      "bad_router_order.yaml:10:24: router.order[2]: \"beta\" is listed twice\nbad_router_order.yaml:10:30: router.order[3]: no provider named \"delta\" (have alpha, beta)",
	"bad_strategy.yaml":          `bad_strategy.yaml:9:13: router.strategy: "fastest" is not a strategy (health, priority, static, retry-blind, elimination, success-rate, consecutive, unpaid-streak, first-backup) or a negative control (health-no-eject, ...: paydrill run --help)`,
	"bad_weights.yaml":           "bad_weights.yaml:5:24: traffic.regions.DE: weight -0.5 is negative\nbad_weights.yaml:6:12: traffic.methods: the weights are all zero",
	"block_without_match.yaml":   `block_without_match.yaml:9:5: faults[0].match: a block fault needs a match (amount, categories, methods or regions)`,
	"bucket_too_long.yaml":       `bucket_too_long.yaml:3:9: bucket: 5m is longer than the duration (1m)`,
	"comment_only.yaml":          `comment_only.yaml:1:1: the file holds no scenario`,
	"duplicate_key.yaml":         `duplicate_key.yaml:3:1: duration: "duration" is written twice (first on line 2)`,
	"duplicate_provider.yaml":    `duplicate_provider.yaml:9:11: providers[2].name: "alpha" is already the name of providers[0]`,
	"empty.yaml":                 `empty.yaml:1:1: the file holds no scenario`,
	"fault_after_end.yaml":       `fault_after_end.yaml:9:24: faults[0].at: 40m is not before the end of the traffic (duration 30m)`,
	"fault_bad_type.yaml":        "fault_bad_type.yaml:9:12: faults[0].type: \"meteor\" is not a fault type (suspend, block, silent, notify_blackout, notify_delay, notify_duplicate, decline_spike, latency, outage, rate_limit, capacity, pause, crash, partition, toxic)\nfault_bad_type.yaml:10:5: faults[1].type: required: one of suspend, block, silent, notify_blackout, notify_delay, notify_duplicate, decline_spike, latency, outage, rate_limit, capacity, pause, crash, partition, toxic\nfault_bad_type.yaml:10:23: faults[1].target: name the providers, a tag, or both",
	"fault_expect_run_wide.yaml": `fault_expect_run_wide.yaml:11:41: faults[0].expect.lost: lost is judged over the whole run: set it in the scenario's expect`,
	"fault_missing_param.yaml":   "fault_missing_param.yaml:9:5: faults[0].add: a latency fault needs add more than 0 (like 2s)\nfault_missing_param.yaml:10:5: faults[1].rate: a decline_spike fault needs a rate more than 0 (share of attempts declined)\nfault_missing_param.yaml:11:5: faults[2].limit: a rate_limit fault needs a limit more than 0 (like 5/s)\nfault_missing_param.yaml:12:5: faults[3].max: a capacity fault needs max more than 0",
	"fault_no_baseline.yaml":     `fault_no_baseline.yaml:9:24: faults[0].at: 5s leaves no baseline: a fault starts at least one bucket (10s) into the run`,
	"method_not_in_traffic.yaml": `method_not_in_traffic.yaml:8:21: providers[0].methods[1]: method "paypal" is not in traffic.methods (have alipay, card)`,
	"missing_name.yaml":          `missing_name.yaml:1:1: name: a scenario needs a name`,
	"multiple_documents.yaml":    `multiple_documents.yaml:9:1: a scenario file holds one YAML document; this is a second`,
	"negative_rate.yaml":         `negative_rate.yaml:6:11: traffic.arrivals.rate: rate "-3/s" is negative`,
	"ramp_no_stages.yaml":        `ramp_no_stages.yaml:4:13: traffic.arrivals.stages: ramp arrivals need at least one stage`,
	"several_errors.yaml": `several_errors.yaml:1:7: name: a scenario needs a name
several_errors.yaml:2:11: duration: must be more than 0 (write it like 30m or 1h)
several_errors.yaml:4:20: traffic.arrivals.type: "trickle" is not an arrival type (constant, poisson, diurnal, ramp, spike)
several_errors.yaml:6:34: providers[0].notify.loss: 2 is not between 0 and 1
several_errors.yaml:8:48: faults[0].target.providers[0]: no provider named "omega" (have alpha)
several_errors.yaml:8:73: faults[0].match.amount: min 50 is over max 10
several_errors.yaml:10:18: measure.hit_threshold: -1 is not between 0 and 1`,
	"spike_rate_and_factor.yaml":   "spike_rate_and_factor.yaml:8:9: traffic.arrivals.spikes[0]: set a rate or a factor, not both\nspike_rate_and_factor.yaml:9:24: traffic.arrivals.spikes[1].for: the spike runs past the end of the traffic (29m + 5m > 30m)",
	"spread_p99_under_median.yaml": `spread_p99_under_median.yaml:8:32: providers[0].latency.p99: 500ms is under the median (2s)`,
	"suspend_with_match.yaml":      `suspend_with_match.yaml:12:12: faults[0].match: a suspend fault hits every order; use a block fault to match some`,
	"syntax_error.yaml":            `syntax_error.yaml:3:1: ',' or ']' must be specified`,
	"tag_no_provider.yaml":         `tag_no_provider.yaml:11:19: faults[0].target.tag: no provider has tag "crypto"`,
	"unknown_decline_code.yaml":    `unknown_decline_code.yaml:9:51: providers[0].decline_codes.stolen_card: unknown decline code "stolen_card" (known: insufficient_funds, do_not_honor, card_declined, expired_card, fraudulent, merchant_suspended, transaction_blocked, risk_control, try_again_later, processing_error, amount_limit, daily_limit)`,
	"unknown_field.yaml":           `unknown_field.yaml:11:7: providers[1].latency.p95: unknown field "p95" (did you mean "p99"?)`,
	"unknown_provider.yaml":        `unknown_provider.yaml:13:26: faults[0].target.providers[1]: no provider named "gamma" (have alpha, beta)`,
	"wrong_type.yaml":              `wrong_type.yaml:7:29: providers[0].capacity: expected an integer, got string "lots"`,
	"wrong_type_mapping.yaml":      `wrong_type_mapping.yaml:7:3: providers: expected a list, got a mapping`,
}

func TestParseBad(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			want, ok := badCases[name]
			if !ok {
				t.Fatalf("no expected error for %s: add it to badCases", path)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(name, data)
			if err == nil {
				t.Fatalf("Parse(%s) = %+v, want error %q", name, s, want)
			}
			if got := err.Error(); got != want {
				t.Errorf("Parse(%s) error:\n%s\nwant:\n%s", name, got, want)
			}
			var errs *Errors
			if !errors.As(err, &errs) || len(*errs) == 0 {
				t.Errorf("Parse(%s) error is %T, want a non-empty *Errors", name, err)
			}
		})
	}
	for name := range badCases {
		if !seen[name] {
			t.Errorf("badCases names %s, which is not in testdata/bad", name)
		}
	}
}

func TestLoadPrefixesPath(t *testing.T) {
	_, err := Load("testdata/bad/missing_name.yaml")
	want := "testdata/bad/missing_name.yaml:1:1: name: a scenario needs a name"
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Line != 1 || fe.Path != "name" {
		t.Errorf("errors.As(%v, *FieldError) = %+v, want line 1 path name", err, fe)
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, err := Load("testdata/no-such-file.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want os.ErrNotExist", err)
	}
}

func ptr[T any](v T) *T { return &v }

func minutes(n time.Duration) Duration { return Duration(n * time.Minute) }

func TestLoadMinimal(t *testing.T) {
	got, err := Load("testdata/good/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	common := Provider{
		Methods:    []string{"alipay", "card"},
		Latency:    Spread{Median: ms(250), P99: ms(1500)},
		Completion: Completion{Rate: 0.9, Delay: Spread{Median: ms(45000), P99: ms(240000)}},
		Notify:     Notify{Delay: Spread{Median: ms(2000), P99: ms(15000)}},
		Expiry:     minutes(15),
	}
	alpha, beta := common, common
	alpha.Name, alpha.Tags, alpha.Flow, alpha.DeclineRate = "alpha", []string{"gaming"}, "sync", 0.05
	alpha.DeclineCodes = map[string]float64{"insufficient_funds": 0.5, "do_not_honor": 0.3, "card_declined": 0.2}
	beta.Name, beta.Flow = "beta", "async"
	want := &Scenario{
		Name:     "merchant-freeze",
		Seed:     1,
		Duration: minutes(30),
		Drain:    minutes(20),
		Bucket:   ms(10000),
		Traffic: Traffic{
			Arrivals: Arrivals{Type: "poisson", Rate: 20, Process: "poisson"},
			Buyers:   10000,
			Regions:  map[string]float64{"US": 0.35, "DE": 0.15, "GB": 0.1, "BR": 0.1, "CN": 0.1, "IN": 0.1, "JP": 0.1},
			Catalog: Catalog{
				Currency:   "USD",
				Products:   200,
				Categories: map[string]float64{"game-keys": 0.45, "gift-cards": 0.35, "subscriptions": 0.2},
				Price:      Price{Median: 15, P99: 150, Min: 0.99, Max: 500},
			},
			Methods: map[string]float64{"card": 0.7, "alipay": 0.3},
		},
		Providers: []Provider{alpha, beta},
		Router:    Router{Strategy: "health", Timeout: ms(10000), Order: []string{"alpha", "beta"}},
		Faults: []Fault{{
			Name: "suspend-0", Type: "suspend", At: minutes(10), For: minutes(10),
			Target: Target{Providers: []string{"alpha"}}, Code: "merchant_suspended",
		}},
		Measure: Measure{Baseline: minutes(5), Window: Duration(10 * time.Second), Hold: minutes(1), MinSamples: 10, HitThreshold: 0.05, ConversionTolerance: 0.1},
		Expect: Expect{
			FailoverWithin:      &Limit{D: 5 * time.Minute},
			Lost:                ptr(0),
			DuplicateCharges:    ptr(0),
			Stranded:            ptr(0),
			DuplicateDeliveries: ptr(0),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(minimal.yaml) mismatch (-want +got):\n%s", diff)
	}
}

// TestDefaultsKeepSet loads a file that sets every section and checks
// that only the fields it leaves unset changed.
func TestDefaultsKeepSet(t *testing.T) {
	got, err := Load("testdata/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Scenario{
		Name: "full", Description: "a drill with every section set", Seed: 42,
		Duration: minutes(60), Drain: minutes(5), Bucket: ms(30000),
		Traffic: Traffic{
			Arrivals: Arrivals{Type: "ramp", Process: "constant", Stages: []Stage{
				{For: minutes(10), To: 30}, {For: minutes(50), To: 30},
			}},
			Buyers:  500,
			Regions: map[string]float64{"US": 1, "DE": 1},
			Methods: map[string]float64{"card": 0.6, "alipay": 0.3, "wechat": 0.1},
			Catalog: Catalog{Currency: "EUR", Products: 20, Categories: map[string]float64{"gift-cards": 1},
				Price: Price{Median: 20, P99: 80, Min: 5, Max: 100}},
		},
		Providers: []Provider{{
			Name: "alpha", Tags: []string{"gaming", "eu"}, Methods: []string{"card"}, Flow: "sync",
			Latency: Spread{Median: ms(300), P99: ms(2000)}, DeclineRate: 0.1,
			DeclineCodes: map[string]float64{"do_not_honor": 2, "expired_card": 1},
			Completion:   Completion{Rate: 0.9, Delay: Spread{Median: ms(45000), P99: ms(240000)}},
			Notify:       Notify{Delay: Spread{Median: ms(2000), P99: ms(15000)}},
			RateLimit:    50, Capacity: 100, Fee: Fee{Percent: 2.9, Fixed: 0.3}, Expiry: minutes(15),
		}, {
			Name: "beta", Tags: []string{"gaming"}, Methods: []string{"alipay", "wechat"}, Flow: "async",
			Latency: Spread{Median: ms(250), P99: ms(1500)},
			// Only the median is set: the p99 keeps the default ratio (4m / 45s).
			Completion: Completion{Rate: 0.8, Delay: Spread{Median: minutes(1), P99: ms(320000)}},
			// Only the p99 is set: the median keeps the default ratio (2s / 15s).
			Notify: Notify{Delay: Spread{Median: ms(4000), P99: ms(30000)}, Loss: 0.01, Duplicate: 0.02},
			Expiry: minutes(30),
		}},
		Router: Router{Strategy: "priority", Timeout: ms(5000), Order: []string{"beta", "alpha"},
			Health: HealthParams{Window: minutes(2), MinSamples: 20, FailureRate: 0.5, ProbeShare: 0.05}},
		Faults: []Fault{{
			Name: "freeze-alpha", Type: "block", At: minutes(10), For: minutes(20),
			Target: Target{Providers: []string{"alpha"}},
			Match:  &Match{Amount: &AmountRange{Min: 50}, Methods: []string{"card"}},
			Code:   "risk_control",
		}, {
			Name: "decline_spike-1", Type: "decline_spike", At: minutes(30),
			Target: Target{Tag: "gaming"}, Rate: 0.4, Ramp: 0.05,
			Codes:  map[string]float64{"try_again_later": 1},
			Flap:   &Flap{Period: minutes(2), Duty: 0.25},
			Expect: &Expect{FailoverWithin: &Limit{Off: true}},
		}},
		Measure: Measure{Baseline: minutes(10), Window: minutes(2), Hold: minutes(3), MinSamples: 5, HitThreshold: 0.1, ConversionTolerance: 0.2},
		Expect: Expect{
			FailoverWithin: &Limit{D: 3 * time.Minute}, DetectWithin: &Limit{D: time.Minute},
			FailbackWithin: &Limit{Off: true}, Lost: ptr(1), DuplicateCharges: ptr(2), Stranded: ptr(3), DuplicateDeliveries: ptr(0),
			MinConversion: ptr(0.7), MaxExcessFailed: ptr(100),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(full.yaml) mismatch (-want +got):\n%s", diff)
	}
}

// TestRoundTrip writes each good scenario back out as YAML and reads it
// again: the result must be the same scenario.
func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/good/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			first, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			out, err := yaml.Marshal(first)
			if err != nil {
				t.Fatal(err)
			}
			second, err := Parse("written.yaml", out)
			if err != nil {
				t.Fatalf("Parse(written) error: %v\n%s", err, out)
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("round trip of %s changed it (-first +second):\n%s\nwritten:\n%s", path, diff, out)
			}
			if err := second.Validate(); err != nil {
				t.Errorf("Validate after defaults: %v", err)
			}
		})
	}
}

func TestParseAnchorsAndZero(t *testing.T) {
	src := `name: anchors
duration: 30m
traffic:
  arrivals: {type: constant, rate: 5/s}
providers:
  - &base {name: alpha, latency: {median: 100ms, p99: 1s}}
  - name: beta
    latency: {median: 0, p99: 2s}
faults:
  - {type: outage, at: 1m, for: 0, target: {providers: [beta]}}
`
	s, err := Parse("anchors.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Providers[1].Latency.Median, Duration(2*time.Second/6); got != want {
		t.Errorf("beta latency median = %v, want %v (p99 over the default ratio)", got, want)
	}
	if got := s.Faults[0].Rate; got != 1 {
		t.Errorf("outage rate = %v, want default 1", got)
	}
}

func TestStrategiesExtend(t *testing.T) {
	src := []byte(strings.Replace(mustRead(t, "testdata/bad/bad_strategy.yaml"), "fastest", "custom", 1))
	if _, err := Parse("x.yaml", src); err == nil {
		t.Fatal("strategy custom accepted before it is registered")
	}
	saved := Strategies
	t.Cleanup(func() { Strategies = saved })
	Strategies = append(append([]string(nil), saved...), "custom")
	if _, err := Parse("x.yaml", src); err != nil {
		t.Errorf("strategy custom refused after it is registered: %v", err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var errs *Errors
			if !errors.As(err, &errs) || len(*errs) == 0 {
				t.Fatalf("Parse error is %T %v, want a non-empty *Errors", err, err)
			}
			for _, e := range *errs {
				if e.Line < 1 || e.Col < 1 || e.Msg == "" {
					t.Fatalf("error without a position or message: %+v", e)
				}
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("a parsed scenario fails Validate after defaults: %v", err)
		}
	})
}
