package scenario

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

const limitBase = `name: limits
duration: 30m
traffic:
  arrivals: {type: poisson, rate: 1/s}
providers:
  - name: alpha
`

// Each finding of the hostile-input campaign (issue 13) that validate
// used to accept, or that blew up before validate answered, is refused
// with its place and figure.
func TestLimits(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"nested brackets", "name: " + strings.Repeat("[", 100_000), "x.yaml:1:38: nesting 33 deep here; the ceiling is 32 levels"},
		{"nested block sequences", "name: x\nlist:\n" + strings.Repeat("- ", 50) + "x\n", "x.yaml:3:65: nesting 33 deep here"},
		{"nested flow mappings", "a: " + strings.Repeat("{a: ", 40) + "1" + strings.Repeat("}", 40), "nesting 33 deep here"},
		{"file too large", limitBase + "description: " + strings.Repeat("x", MaxFileBytes) + "\n", "x.yaml:1:1: the file is 256.1 KiB; the ceiling is 256.0 KiB"},
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
			"x.yaml:5:36: the file holds more than 100000 values with its aliases expanded; the ceiling is 100000"},
		{"60,000 aliases of one provider (the place was 1:1)", strings.Replace(limitBase, "  - name: alpha\n", "  - &p {name: alpha}\n"+strings.Repeat("  - *p\n", 30_000), 1),
			"x.yaml:25000:5: the file holds more than 100000 values"},
		{"buyers", strings.Replace(limitBase, "traffic:\n", "traffic:\n  buyers: 99999999999999\n", 1), "x.yaml:4:11: traffic.buyers: 99999999999999 buyers; the ceiling is 1,000,000"},
		{"products", strings.Replace(limitBase, "traffic:\n", "traffic:\n  catalog: {products: 2000000}\n", 1), "traffic.catalog.products: 2000000 products; the ceiling is 100,000"},
		{"bucket 1ns", strings.Replace(limitBase, "duration: 30m", "duration: 8760h\nbucket: 1ns", 1),
			"x.yaml:3:9: bucket: bucket 1ns over 8760h20m (duration + drain) is 3.2e+16 buckets; the ceiling is 1,000,000"},
		{"year at 1ms", strings.Replace(limitBase, "duration: 30m", "duration: 8760h\nbucket: 1ms", 1), "bucket: bucket 1ms over 8760h20m (duration + drain) is 3.2e+10 buckets"},
		{"rate 1e12/s", strings.Replace(limitBase, "rate: 1/s", "rate: 1e12/s", 1), "x.yaml:4:35: traffic.arrivals.rate: the arrivals peak at 1000000000000/s; the ceiling is 1000/s"},
		{"rate NaN/s (validate accepted it; run stopped with exit 3)", strings.Replace(limitBase, "rate: 1/s", "rate: NaN/s", 1), `x.yaml:4:35: traffic.arrivals.rate: "NaN/s" is not a rate: "NaN" is not a finite number`},
		{"rate Inf/h", strings.Replace(limitBase, "rate: 1/s", "rate: Inf/h", 1), `x.yaml:4:35: traffic.arrivals.rate: "Inf/h" is not a rate: "Inf" is not a finite number`},
		{"spike factor", strings.Replace(limitBase, "{type: poisson, rate: 1/s}", "{type: spike, rate: 1/s, spikes: [{at: 1m, for: 1m, factor: 5000}]}", 1), "traffic.arrivals.spikes[0].factor: the arrivals peak at 5000/s; the ceiling is 1000/s"},
		{"orders", strings.Replace(strings.Replace(limitBase, "duration: 30m", "duration: 876000h\nbucket: 1h", 1), "rate: 1/s", "rate: 900/s", 1), "duration: 876000h at up to 900/s is up to 2.8e+12 orders; the ceiling is 100,000,000"},
		{"in flight", strings.Replace(strings.Replace(limitBase+"    flow: async\n    expiry: 48h\n", "duration: 30m", "duration: 72h\nbucket: 1m", 1), "rate: 1/s", "rate: 100/s", 1), "orders open at once; the ceiling is 500,000"},
		{"providers", strings.Replace(limitBase, "  - name: alpha\n", many(100, func(i int) string { return fmt.Sprintf("  - name: p%d\n", i) }), 1), "x.yaml:5:1: providers: 100 providers; the ceiling is 64"},
		{"faults", limitBase + "faults:\n" + many(65, func(i int) string { return "  - {type: outage, at: 1m, target: {providers: [alpha]}}\n" }), "faults: 65 faults; the ceiling is 64"},
		{"flap", limitBase + "faults:\n  - {type: outage, at: 1m, target: {providers: [alpha]}, flap: {period: 1ms}}\n", "faults[0].flap.period: a 1ms flap over 30m switches 3,600,000 times; the ceiling is 100,000"},
		{"price", strings.Replace(limitBase, "traffic:\n", "traffic:\n  catalog: {price: {max: 1000000000000000000000000000000.0}}\n", 1), "traffic.catalog.price.max: 1e+30 is over the ceiling of 100000000.00 an order"},
		{"fee", limitBase + "    fee: {fixed: 10000000000000000000.0}\n", "providers[0].fee.fixed: 1e+19 is over the ceiling of 100000000.00"},
		{"stages", strings.Replace(limitBase, "{type: poisson, rate: 1/s}", "{type: ramp, stages: ["+strings.Repeat("{for: 1s, to: 1/s},", 1001)+"]}", 1), "traffic.arrivals.stages: 1001 entries; the ceiling is 1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			_, err := Parse("x.yaml", []byte(tc.src))
			runtime.ReadMemStats(&m1)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to hold %q", err, tc.want)
			}
			if grew := m1.TotalAlloc - m0.TotalAlloc; grew > 256<<20 {
				t.Errorf("refusing it allocated %d MiB; want under 256", grew>>20)
			}
		})
	}
}

// A UTF-8 byte order mark is not part of the first key.
func TestByteOrderMark(t *testing.T) {
	if _, err := Parse("x.yaml", []byte("\uFEFF"+limitBase)); err != nil {
		t.Errorf("a file starting with a BOM: %v", err)
	}
}

// The library's own figures stay far under the ceilings.
func TestPlanOfAnOrdinaryDrill(t *testing.T) {
	s, err := Parse("x.yaml", []byte(limitBase))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Plan()
	if p.Buckets != 301 || p.PeakRate != 1 || p.Orders != 1800 {
		t.Errorf("plan of 30m at 1/s with bucket 10s and drain 20m: %+v; want 301 buckets, peak 1/s, 1800 orders", p)
	}
}

// Issue 13: validating 60,000 providers took 32 s, each provider's name
// compared with every one before it. Past the ceiling of 64 the
// per-provider checks do not run: the 60,000 providers are
// refused in milliseconds (the pairwise checks take seconds; the limit
// leaves a hundredfold margin for a loaded machine).
func TestManyProvidersRefusedFast(t *testing.T) {
	s, err := Parse("x.yaml", []byte(limitBase))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60_000 {
		s.Providers = append(s.Providers, Provider{Name: fmt.Sprintf("p%d", i)})
	}
	start := time.Now()
	err = s.Validate()
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "providers: 60001 providers; the ceiling is 64") {
		t.Fatalf("60,001 providers: %v", err)
	}
	if took > 2*time.Second {
		t.Errorf("validating 60,001 providers took %s; want well under 2s", took)
	}
}
