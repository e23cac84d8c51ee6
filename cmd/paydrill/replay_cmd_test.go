package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// call runs a command line and returns its exit code, stdout and stderr.
func call(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestRecordThenReplay: record a drill, replay it through a scenario's
// traffic.replay: the same orders are created.
func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	code, _, stderr := call(t, "record", "builtin:merchant-freeze", "--out", orders)
	if code != exitPass {
		t.Fatalf("record exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "start: 2026-01-01T00:00:00Z") {
		t.Errorf("record stderr does not give the start to replay with: %s", stderr)
	}
	data, err := os.ReadFile("../../scenarios/merchant-freeze.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), "  arrivals: {type: poisson, rate: 20/s}\n",
		"  replay: {file: orders.csv, start: 2026-01-01T00:00:00Z}\n", 1)
	scen := filepath.Join(dir, "replay.yaml")
	if err := os.WriteFile(scen, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, synth, _ := call(t, "run", "builtin:merchant-freeze", "--progress", "off")
	code, replayed, stderr := call(t, "run", scen, "--progress", "off")
	if code != exitPass {
		t.Fatalf("run replay exit %d: %s", code, stderr)
	}
	line := func(s string) string {
		for l := range strings.SplitSeq(s, "\n") {
			if strings.Contains(l, "created ") {
				return l
			}
		}
		return ""
	}
	if got, want := line(replayed), line(synth); got != want || got == "" {
		t.Errorf("replayed orders line %q, synthetic %q", got, want)
	}
}

func TestRunReplayBadRow(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "o.csv"), []byte("time,amount,currency,product,category,buyer,method,region\n"+
		"2026-01-01T00:00:00Z,100,USD,1,games,1,card,US\n2026-01-01T00:00:01Z,ten,USD,1,games,1,card,US\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "s.yaml"), []byte("name: bad\nduration: 10m\ntraffic:\n  replay: {file: o.csv}\nproviders:\n  - name: alpha\n"), 0o644)
	code, _, stderr := call(t, "run", filepath.Join(dir, "s.yaml"), "--progress", "off")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	want := filepath.Join(dir, "o.csv") + `:3: row 2: column amount: "ten" is not an integer amount in minor units`
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not name the bad row %q", stderr, want)
	}
}

func TestCompareCommand(t *testing.T) {
	code, out, stderr := call(t, "compare", "builtin:merchant-freeze", "--routers", "health,static")
	if code != exitPass {
		t.Fatalf("compare exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Uplift over health", "alpha-frozen  0s / 0s", "never / never"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := call(t, "compare", "builtin:merchant-freeze", "--routers", "fastest"); code != exitUsage {
		t.Errorf("unknown router: exit %d, want %d", code, exitUsage)
	}
}

func TestCalibrateCommand(t *testing.T) {
	code, out, stderr := call(t, "calibrate", "../../internal/replay/testdata/attempts.csv", "--column", "code=error_code")
	if code != exitPass {
		t.Fatalf("calibrate exit %d: %s", code, stderr)
	}
	for _, want := range []string{"providers:\n", "  - name: stripe\n", "    decline_rate: 0.75\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("calibrate output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "4242") {
		t.Error("calibrate output holds a card number")
	}
	if code, _, stderr := call(t, "calibrate", "x.csv", "--column", "colour=red"); code != exitUsage || !strings.Contains(stderr, `no field "colour"`) {
		t.Errorf("bad --column: exit %d, stderr %q", code, stderr)
	}
}

// writeOrders writes a native replay file of n orders, one every gap from
// 2026-01-01T00:00:00Z, the i-th paying by methods[i%len] in currency, to
// dir/name and returns its path.
func writeOrders(t *testing.T, dir, name string, n int, gap time.Duration, methods []string, currency string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("time,amount,currency,product,category,buyer,method,region\n")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "%s,%d,%s,%d,game-keys,%d,%s,CN\n", start.Add(time.Duration(i)*gap).Format(time.RFC3339Nano),
			1000+i%7*350, currency, i%20, i, methods[i%len(methods)])
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cnyDrill replays orders.csv (a day at one order a minute, in CNY) with
// two providers and a freeze of alpha.
const cnyDrill = `name: cny
duration: 24h
bucket: 1m
traffic:
  replay: {file: orders.csv}
providers:
  - name: alpha
  - name: beta
faults:
  - {type: suspend, at: 10h, for: 20m, target: {providers: [alpha]}}
expect:
  failover_within: 10m
`

// cnyReplay writes cnyDrill and its orders.csv (the i-th order paying by
// methods[i%len]) to a fresh folder and returns the scenario's path.
func cnyReplay(t *testing.T, methods ...string) string {
	t.Helper()
	dir := t.TempDir()
	writeOrders(t, dir, "orders.csv", 24*60, time.Minute, methods, "CNY")
	scen := filepath.Join(dir, "drill.yaml")
	if err := os.WriteFile(scen, []byte(cnyDrill), 0o644); err != nil {
		t.Fatal(err)
	}
	return scen
}

// TestReplayUnroutableMethods: a replay whose orders pay by methods no
// provider takes is refused by validate and run, naming the methods and
// how many orders pay by them. Before, validate said ok and run PASSed
// with most orders failed without a single attempt.
func TestReplayUnroutableMethods(t *testing.T) {
	scen := cnyReplay(t, "alipay", "alipay", "wechat_pay", "card")
	want := "drill.yaml:5:11: traffic.replay: 1080 of the 1440 orders the run reads pay by a method no provider takes: alipay (720), wechat_pay (360); the providers take card"
	for _, args := range [][]string{{"validate", scen}, {"run", scen, "--progress", "off"}} {
		code, _, stderr := call(t, args...)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", args[0], code, stderr, exitUsage, want)
		}
	}
}

// runReports runs scen writing every report format next to it (r.json,
// r.md, r.html, r.xml) and returns the summary and the reports' paths.
func runReports(t *testing.T, scen string) (string, func(string) string) {
	t.Helper()
	dir := filepath.Dir(scen)
	out := func(name string) string { return filepath.Join(dir, name) }
	code, stdout, stderr := call(t, "run", scen, "--progress", "off", "--json", out("r.json"),
		"--markdown", out("r.md"), "--html", out("r.html"), "--junit", out("r.xml"))
	if code != exitPass && code != exitFail && code != exitInconclusive {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return stdout, out
}

// TestReplayCurrency: amounts are labelled in the replay file's currency
// in every report format (they were labelled USD whatever the file said).
func TestReplayCurrency(t *testing.T) {
	scen := cnyReplay(t, "card")
	stdout, out := runReports(t, scen)
	if !strings.Contains(stdout, "paid CNY ") || strings.Contains(stdout, "USD") {
		t.Errorf("summary does not label amounts CNY only:\n%s", stdout)
	}
	var rep struct {
		Scenario struct{ Currency string }
	}
	data, _ := os.ReadFile(out("r.json"))
	if err := json.Unmarshal(data, &rep); err != nil || rep.Scenario.Currency != "CNY" {
		t.Errorf("JSON scenario.currency %q (%v), want CNY", rep.Scenario.Currency, err)
	}
	for _, f := range []string{"r.md", "r.html", "r.xml"} {
		data, err := os.ReadFile(out(f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "USD") {
			t.Errorf("%s labels amounts USD; the file is in CNY", f)
		}
		if f != "r.xml" && !strings.Contains(string(data), "CNY") {
			t.Errorf("%s does not say CNY", f)
		}
	}
}

// TestCompareReplayFits: compare --replay runs the drill over the whole
// file (it kept the built-in drill's hour and read its first hour of
// orders without a word), and refuses a file that ends before a fault.
func TestCompareReplayFits(t *testing.T) {
	dir := t.TempDir()
	day := writeOrders(t, dir, "day.csv", 2*60*6, 10*time.Second, []string{"card", "alipay"}, "USD")
	code, stdout, stderr := call(t, "compare", "builtin:merchant-freeze", "--replay", day, "--routers", "health")
	if code != exitPass {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	if want := "compare merchant-freeze: seed 20261127, 720 orders"; !strings.HasPrefix(stdout, want) {
		t.Errorf("compare read part of the file: %q, want %q", strings.SplitN(stdout, "\n", 2)[0], want)
	}
	if want := "the drill runs 2h0m0s (fitted to the file; builtin:merchant-freeze had 1h0m0s)"; !strings.Contains(stderr, want) {
		t.Errorf("compare does not say it fitted the drill: stderr %q, want %q", stderr, want)
	}
	short := writeOrders(t, dir, "short.csv", 60, 10*time.Second, []string{"card"}, "USD")
	code, _, stderr = call(t, "compare", "builtin:merchant-freeze", "--replay", short, "--routers", "health")
	want := "paydrill compare: faults[0].at: 15m is after the last order the run reads (9m50s of --replay " + short + ")"
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("compare of a file that ends before the fault: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
	}
}

// TestSweepReplayRefused: --rates cannot change a replay's traffic, so a
// sweep of a replay scenario is refused (it printed the same row at every
// rate and concluded the router met the target from the lowest).
func TestSweepReplayRefused(t *testing.T) {
	scen := cnyReplay(t, "card")
	dir := filepath.Dir(scen)
	code, stdout, stderr := call(t, "sweep", scen, "--rates", "1/min,10/min", "--seeds", "1", "--progress", "off")
	want := "scenario cny replays " + filepath.Join(dir, "orders.csv") + ": its orders come at the file's times, which --rates cannot change"
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, want) {
		t.Errorf("sweep of a replay: exit %d, stdout %q, stderr %q; want %d, nothing, %q", code, stdout, stderr, exitUsage, want)
	}
}

// TestReplayUnroutableReport: with traffic.replay.unroutable: report, the
// run goes on and every report format counts the orders no provider takes.
func TestReplayUnroutableReport(t *testing.T) {
	scen := cnyReplay(t, "alipay", "alipay", "wechat_pay", "card")
	// No time expectation: the drill passes, and its warning must still show.
	data := strings.NewReplacer("{file: orders.csv}", "{file: orders.csv, unroutable: report}",
		"failover_within: 10m", "failover_within: off").Replace(cnyDrill)
	if err := os.WriteFile(scen, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, out := runReports(t, scen)
	want := "1080 of 1440 orders (75.0%) pay by a method no provider takes (alipay 720, wechat_pay 360): each failed without a single attempt"
	if !strings.Contains(stdout, "WARNING: "+want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	for _, f := range []string{"r.md", "r.html", "r.xml"} {
		data, _ := os.ReadFile(out(f))
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q", f, want)
		}
	}
	var rep struct {
		Orders struct {
			Unroutable        int64            `json:"unroutable"`
			UnroutableMethods map[string]int64 `json:"unroutable_methods"`
		}
		Warnings []string
	}
	js, _ := os.ReadFile(out("r.json"))
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Orders.Unroutable != 1080 || rep.Orders.UnroutableMethods["alipay"] != 720 || len(rep.Warnings) != 1 {
		t.Errorf("JSON orders.unroutable %d, unroutable_methods %v, warnings %q; want 1080, alipay 720, one warning",
			rep.Orders.Unroutable, rep.Orders.UnroutableMethods, rep.Warnings)
	}
	// Several drills: the table is followed by the warned drill's summary
	// whatever its verdict, and the HTML index shows the warning.
	other := writeScenario(t, "tiny.yaml", tiny)
	html := out("html")
	code, stdout, stderr := call(t, "run", other, scen, "--progress", "off", "--html", html+"/")
	if !slices.ContainsFunc(strings.Split(stdout, "\n"), func(l string) bool {
		f := strings.Fields(l)
		return len(f) > 2 && f[0] == "cny" && f[2] == "PASS"
	}) {
		t.Errorf("the warned drill did not pass, so its summary would show anyway:\n%s", stdout)
	}
	if code == exitUsage || code == exitAborted {
		t.Fatalf("run of two drills: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "WARNING: "+want) {
		t.Errorf("the table of two drills hides the warning:\n%s", stdout)
	}
	index, _ := os.ReadFile(filepath.Join(html, "index.html"))
	if !strings.Contains(string(index), "WARNING: "+want) {
		t.Errorf("index.html lacks the warning")
	}
}

// TestReplayWallRefused: a wall-clock drill sends synthetic arrivals only,
// so it refuses a replay scenario with the reason (it failed on a missing
// arrivals type).
func TestReplayWallRefused(t *testing.T) {
	scen := cnyReplay(t, "card")
	code, _, stderr := call(t, "run", scen, "--live", "--progress", "off")
	want := "traffic.replay: wall-clock drills (--live, --sut, --container, router.http, router.container) send synthetic arrivals only"
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("run --live of a replay: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
	}
}
