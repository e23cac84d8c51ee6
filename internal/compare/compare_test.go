package compare_test

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paydrill/paydrill/internal/compare"
	"github.com/paydrill/paydrill/internal/drill"
	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/sim"
	"github.com/paydrill/paydrill/internal/traffic"
	"github.com/paydrill/paydrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func library(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	data, err := scenarios.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("builtin:"+name, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// record writes the scenario's synthetic orders to a CSV file.
func record(t *testing.T, s *scenario.Scenario, start time.Time) string {
	t.Helper()
	src, err := traffic.NewSource(s.Seed, s.Traffic)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), s.Name+".csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := replay.NewWriter(f, "csv", start)
	if err != nil {
		t.Fatal(err)
	}
	var o payment.Order
	for src.Next(&o) && o.Created < s.Duration.D() {
		if err := w.Write(&o); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReplayMatchesSynthetic: a recorded library drill replayed through
// traffic.replay, with the same providers and the freeze at the same
// time, measures what the synthetic drill measures. Tolerance: time to
// detect and to fail over within one bucket, conversion within 0.01,
// excess failed orders within 5% (replay gives the identical order
// stream, so the figures agree exactly today; the tolerance is the
// promise).
func TestReplayMatchesSynthetic(t *testing.T) {
	for _, name := range []string{"merchant-freeze", "silent-freeze"} {
		t.Run(name, func(t *testing.T) {
			syn := library(t, name)
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			path := record(t, syn, start)
			rep := library(t, name)
			rep.Traffic.Arrivals = scenario.Arrivals{}
			rep.Traffic.Replay = &scenario.Replay{File: path, Format: "csv", Speed: 1, Start: start.Format(time.RFC3339),
				Mapping: scenario.ReplayMapping{Preset: "paydrill"}}
			ctx := context.Background()
			a, err := drill.Run(ctx, syn, drill.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			b, err := drill.Run(ctx, rep, drill.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			bucket := syn.Bucket.D().Seconds()
			if got, want := b.Orders.Created, a.Orders.Created; got != want {
				t.Errorf("created %d, synthetic %d", got, want)
			}
			if d := math.Abs(b.Orders.Conversion - a.Orders.Conversion); d > 0.01 {
				t.Errorf("conversion %v, synthetic %v", b.Orders.Conversion, a.Orders.Conversion)
			}
			for i, f := range a.Faults {
				g := b.Faults[i]
				for _, m := range []struct {
					what      string
					syn, repl *float64
				}{{"detect", f.DetectS, g.DetectS}, {"fail over", f.FailoverS, g.FailoverS}} {
					switch {
					case m.syn == nil || m.repl == nil:
						if (m.syn == nil) != (m.repl == nil) {
							t.Errorf("%s: %s replay %v, synthetic %v", f.Name, m.what, m.repl, m.syn)
						}
					case math.Abs(*m.syn-*m.repl) > bucket:
						t.Errorf("%s: %s replay %vs, synthetic %vs (tolerance one bucket, %vs)", f.Name, m.what, *m.repl, *m.syn, bucket)
					}
				}
				if d := math.Abs(float64(g.ExcessFailed - f.ExcessFailed)); d > 0.05*float64(f.ExcessFailed)+1 {
					t.Errorf("%s: excess failed replay %d, synthetic %d", f.Name, g.ExcessFailed, f.ExcessFailed)
				}
			}
		})
	}
}

func fixedNow() time.Time { return time.Unix(0, 0) }

// TestCompareGolden: the comparison table of a library drill.
func TestCompareGolden(t *testing.T) {
	s := library(t, "merchant-freeze")
	res, err := compare.Run(context.Background(), s, compare.Options{File: "builtin:merchant-freeze",
		Routers: []string{"health", "success-rate", "static"}, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/merchant-freeze.txt"
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("compare output (-want +got):\n%s", diff)
	}
	// The uplift is the difference with the first router.
	h, st := res.Rows[0], res.Rows[2]
	if got, want := st.ExcessFailedUplift, st.ExcessFailed-h.ExcessFailed; got != want {
		t.Errorf("static excess failed uplift %d, want %d", got, want)
	}
	if st.ConversionUplift >= 0 {
		t.Errorf("static conversion uplift %+.2f pp, want negative (it never fails over)", st.ConversionUplift)
	}
}

// TestCompareSameOrders: with Options.Orders every router gets a fresh
// source of the same orders.
func TestCompareSameOrders(t *testing.T) {
	s := library(t, "merchant-freeze")
	s.Duration = scenario.Duration(20 * time.Minute)
	path := record(t, s, time.Unix(0, 0))
	opt := replay.SourceOptions{Options: replay.Options{Mapping: replay.Native(), Buyers: s.Traffic.Buyers}, Start: time.Unix(0, 0).UnixNano()}
	res, err := compare.Run(context.Background(), s, compare.Options{Routers: []string{"health", "priority"},
		Orders: func() (sim.OrderSource, error) { return replay.OpenSource(path, opt) }})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := res.Rows[0].Report.Orders.Created, res.Rows[1].Report.Orders.Created; a != b || a == 0 {
		t.Errorf("created %d and %d, want the same, more than 0", a, b)
	}
}
