package router

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/scenario"
)

// testScenario has alpha (card, sync), beta (card and alipay, async) and
// gamma (alipay, sync). routerYAML is the router section, may be empty.
func testScenario(t *testing.T, routerYAML string) *scenario.Scenario {
	t.Helper()
	y := "name: test\nduration: 1h\ntraffic:\n  arrivals: {type: constant, rate: 10/s}\n" +
		"  methods: {card: 1, alipay: 1}\nproviders:\n" +
		"  - {name: alpha, methods: [card]}\n" +
		"  - {name: beta, flow: async, methods: [card, alipay]}\n" +
		"  - {name: gamma, methods: [alipay]}\n" + routerYAML
	s, err := scenario.Parse("test.yaml", []byte(y))
	if err != nil {
		t.Fatalf("scenario.Parse:\n%s\n%v", y, err)
	}
	return s
}

func card() *payment.Order   { return &payment.Order{Method: "card", Amount: 1000} }
func alipay() *payment.Order { return &payment.Order{Method: "alipay", Amount: 1000} }

func TestNewStrategies(t *testing.T) {
	s := testScenario(t, "")
	priority := Rules{MaxAttempts: 3, QueryUnknown: true, QueryDelay: 2 * time.Second}
	priority.Retry[payment.ProviderBlock] = true
	priority.Retry[payment.Transient] = true
	priority.Retry[payment.Unknown] = true
	priority.Retry[payment.Limit] = true
	health := priority
	health.Reconcile, health.CheckAfter = true, 2*time.Minute
	blind := Rules{MaxAttempts: 3, Retry: [payment.NumClasses]bool{true, true, true, true, true, true}}
	tests := []struct {
		name   string
		health bool
		rules  Rules
	}{
		{"health", true, health},
		{"", true, health},
		{"priority", false, priority},
		{"static", false, Rules{MaxAttempts: 1}},
		{"retry-blind", false, blind},
	}
	for _, tt := range tests {
		r, err := New(tt.name, s, 1)
		if err != nil {
			t.Errorf("New(%q): %v", tt.name, err)
			continue
		}
		if _, ok := r.(*Health); ok != tt.health {
			t.Errorf("New(%q) = %T, want a *Health: %v", tt.name, r, tt.health)
		}
		if diff := cmp.Diff(tt.rules, r.Rules()); diff != "" {
			t.Errorf("New(%q).Rules() (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, name := range Strategies {
		if _, err := New(name, s, 1); err != nil {
			t.Errorf("New(%q) for a listed strategy: %v", name, err)
		}
	}
	r, err := New("fastest", s, 1)
	if err == nil || r != nil {
		t.Fatalf("New(fastest) = %v, %v; want nil and an error", r, err)
	}
	for _, want := range []string{`"fastest"`, "health", "retry-blind"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New(fastest) error %q does not mention %s", err, want)
		}
	}
}

// Which classes of failure send the order to another provider.
func TestRetryClasses(t *testing.T) {
	s := testScenario(t, "")
	tests := []struct {
		strategy string
		retry    map[payment.Class]bool
		query    bool
	}{
		{"health", map[payment.Class]bool{payment.Issuer: false, payment.ProviderBlock: true, payment.Transient: true, payment.Unknown: true}, true},
		{"priority", map[payment.Class]bool{payment.Issuer: false, payment.ProviderBlock: true, payment.Transient: true, payment.Unknown: true}, true},
		{"static", map[payment.Class]bool{payment.Issuer: false, payment.ProviderBlock: false, payment.Transient: false, payment.Unknown: false}, false},
		{"retry-blind", map[payment.Class]bool{payment.Issuer: true, payment.ProviderBlock: true, payment.Transient: true, payment.Unknown: true}, false},
	}
	for _, tt := range tests {
		r, err := New(tt.strategy, s, 1)
		if err != nil {
			t.Fatal(err)
		}
		rules := r.Rules()
		for c, want := range tt.retry {
			if rules.Retry[c] != want {
				t.Errorf("%s: Retry[%v] = %v, want %v", tt.strategy, c, rules.Retry[c], want)
			}
		}
		if rules.QueryUnknown != tt.query {
			t.Errorf("%s: QueryUnknown = %v, want %v", tt.strategy, rules.QueryUnknown, tt.query)
		}
	}
}

func TestNewHealthTakesScenarioParams(t *testing.T) {
	s := testScenario(t, "router:\n  health: {max_attempts: 4, query_delay: 5s, check_after: 3m}\n")
	r, err := New("health", s, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Rules()
	if got.MaxAttempts != 4 || got.QueryDelay != 5*time.Second || got.CheckAfter != 3*time.Minute {
		t.Errorf("health rules %+v, want max attempts 4, query delay 5s, check after 3m", got)
	}
}

func TestRouterOrder(t *testing.T) {
	type pick struct {
		order *payment.Order
		tried uint64
		want  int
	}
	tests := []struct {
		name   string
		router string
		picks  []pick
	}{
		{"as listed", "", []pick{
			{card(), 0, 0},
			{card(), 1, 1},
			{card(), 0b11, -1},
			{alipay(), 0, 1},
			{alipay(), 0b10, 2},
			{alipay(), 0b110, -1},
		}},
		{"order set", "router: {order: [gamma, beta, alpha]}\n", []pick{
			{card(), 0, 1},
			{card(), 0b10, 0},
			{alipay(), 0, 2},
			{alipay(), 0b100, 1},
			{alipay(), 0b111, -1},
		}},
		{"partial order, the rest as listed", "router: {order: [gamma]}\n", []pick{
			{card(), 0, 0},
			{alipay(), 0, 2},
			{alipay(), 0b100, 1},
		}},
	}
	for _, tt := range tests {
		s := testScenario(t, tt.router)
		for _, strategy := range Strategies {
			r, err := New(strategy, s, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.picks {
				if got := r.Pick(time.Second, p.order, p.tried); got != p.want {
					t.Errorf("%s, %s: Pick(%s, tried %03b) = %d, want %d", tt.name, strategy, p.order.Method, p.tried, got, p.want)
				}
			}
		}
	}
}

func TestFirstEligible(t *testing.T) {
	provs := []Provider{
		{Name: "a", Methods: []string{"card"}},
		{Name: "b", Methods: []string{"alipay", "card"}},
		{Name: "c"}, // takes every method
	}
	tests := []struct {
		order  []int
		method string
		tried  uint64
		want   int
	}{
		{[]int{0, 1, 2}, "card", 0, 0},
		{[]int{0, 1, 2}, "card", 0b001, 1},
		{[]int{0, 1, 2}, "card", 0b011, 2},
		{[]int{0, 1, 2}, "card", 0b111, -1},
		{[]int{0, 1, 2}, "alipay", 0, 1},
		{[]int{0, 1, 2}, "wechat", 0, 2},
		{[]int{0, 1, 2}, "wechat", 0b100, -1},
		{[]int{2, 1, 0}, "card", 0, 2},
		{[]int{1, 0}, "wechat", 0, -1},
		{nil, "card", 0, -1},
	}
	for _, tt := range tests {
		o := &payment.Order{Method: tt.method}
		if got := firstEligible(provs, tt.order, o, tt.tried); got != tt.want {
			t.Errorf("firstEligible(order %v, %s, tried %03b) = %d, want %d", tt.order, tt.method, tt.tried, got, tt.want)
		}
	}
}

// A cascade has no memory: failures do not move traffic.
func TestCascadeIgnoresObservations(t *testing.T) {
	s := testScenario(t, "")
	for _, strategy := range []string{"priority", "static", "retry-blind"} {
		r, err := New(strategy, s, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			r.Observe(time.Duration(i)*time.Second, Observation{Provider: 0, Kind: Answered, Status: payment.Declined, Class: payment.ProviderBlock})
		}
		if got := r.Pick(time.Hour, card(), 0); got != 0 {
			t.Errorf("%s: after 100 blocks on alpha Pick = %d, want 0 still", strategy, got)
		}
	}
}

// A router's transition log keeps the first maxTransitions and stops there.
func TestTransitionsAreBounded(t *testing.T) {
	var tr transitions
	for k := range maxTransitions + 100 {
		tr.add(Transition{At: time.Duration(k), Provider: k % 2, State: "out"})
	}
	if n := len(tr.log); n != maxTransitions || tr.log[n-1].At != maxTransitions-1 {
		t.Errorf("after %d transitions the log holds %d, the last at %v; want the first %d", maxTransitions+100, n, tr.log[n-1].At, maxTransitions)
	}
}

// New reads each provider's flow: beta is async, alpha and gamma sync.
func TestNewReadsFlows(t *testing.T) {
	r, err := New("health", testScenario(t, ""), 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, p := range r.(*Health).provs {
		got = append(got, p.Async)
	}
	if diff := cmp.Diff([]bool{false, true, false}, got); diff != "" {
		t.Errorf("async flags of alpha, beta, gamma (-want +got):\n%s", diff)
	}
}
