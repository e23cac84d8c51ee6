#!/usr/bin/env bash
# Side-by-side benchmarks of the live mode against peers, in one run on one
# machine (BENCHMARKS.md quotes this script's output). Every paydrill figure
# is printed beside its peer's from the same run, and as a ratio:
#   1. paydrill's open-model load generator and vegeta, at the same fixed
#      rates, against the same do-nothing router (bench/nullsut): requests
#      sent, the rate held, and CPU seconds per 1,000 requests (user + system
#      of the whole process: paydrill's includes building the run and asking
#      the router how every order ended, one GET per order, pipelined, after
#      the run; vegeta's includes encoding its results, not vegeta report).
#      paydrill's CPU is given per order and per HTTP request
#      (engine.requests: orders, pay pages, the GETs after the run, the
#      stats); vegeta makes one request per order. Per order is the stricter
#      reading; per request is the issue's (BENCHMARKS.md says what counts);
#   2. vegeta driving the mock's create-payment endpoint for 30 s at a fixed
#      rate: every answer must be 201 (created) or 402 (declined);
#   3. wrk against the mock provider and against a bare net/http handler,
#      served twice: by a plain http.ListenAndServe, and by the hardened
#      server paydrill's mocks run (internal/httpserver: timeouts, body and
#      connection caps). Requests per second, and the server's CPU per
#      request (from /proc/PID/stat), which a busy host disturbs less. The
#      mock against the hardened bare server is what the mock's handler
#      costs; against the plain one, handler and hardening together.
# SECTIONS (default "1 2 3") picks the parts to run.
# A rate is "held" when at least 99 % of its requests were sent and the
# achieved rate is at least 99 % of it.
#
# Scenario files cap the arrival rate at 1000/s (docs/limits.md), so
# paydrill runs bench/load.yaml at 100 orders/s of scenario time with
# --time-scale RATE/100: RATE orders per second of wall time.
# Loopback only. Needs vegeta (go install), wrk and jq (Debian); installs them if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"1000 2000 3000 5000 10000"}
SECONDS_EACH=${SECONDS_EACH:-15}
PIN=${PIN:-}   # e.g. PIN="taskset -c 0" to pin the generators
SECTIONS=${SECTIONS:-"1 2 3"}
BASE=${PORT_BASE:-9100}   # mocks at BASE (4 ports) and BASE+100, bench/nullsut at BASE+200 and BASE+201 (hardened)
MOCK=$BASE MOCKW=$((BASE + 100)) NULL=$((BASE + 200)) NULLH=$((BASE + 201))
on() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
export PATH="$PATH:$(go env GOPATH)/bin"
command -v vegeta >/dev/null || go install github.com/tsenart/vegeta/v12@v12.13.0
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
go build -o bin/paydrill ./cmd/paydrill
go build -o bin/nullsut ./bench/nullsut
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
bin/nullsut -listen 127.0.0.1:$NULL -hardened 127.0.0.1:$NULLH 2>/dev/null & pids+=($!)
sleep 0.5
echo "## machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), vegeta v12.13.0, $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"

cpu() { tail -1 "$1" | awk '{printf "%.2f", $1 + $2}'; }

if on 1; then
echo; echo "## 1. load generators at fixed rates against bench/nullsut ($SECONDS_EACH s each)"
printf "POST http://127.0.0.1:$NULL/v1/orders\nContent-Type: application/json\n@bench/order.json\n" > "$tmp/targets"
best_v=0; best_p=0
for rate in $RATES; do
  want=$((rate * SECONDS_EACH))
  $PIN /usr/bin/time -f "%U %S" -o "$tmp/tv" vegeta attack -rate="$rate" -duration="${SECONDS_EACH}s" \
    -targets="$tmp/targets" -max-workers=10000 > "$tmp/v.bin"
  read -r vsent vrate vok vp99 <<<"$(vegeta report -type=json < "$tmp/v.bin" | jq -r '"\(.requests) \(.rate|floor) \(.success) \(.latencies."99th"/1e6)"')"
  vcpu=$(cpu "$tmp/tv")
  scale=$((rate / 100))
  sed "s|RATE|100/s|; s|duration: 30s|duration: $((SECONDS_EACH * scale))s|" bench/load.yaml > "$tmp/load.yaml"
  $PIN /usr/bin/time -f "%U %S" -o "$tmp/tp" bin/paydrill run "$tmp/load.yaml" --sut http://127.0.0.1:$NULL \
    --time-scale "$scale" --json "$tmp/p.json" -q --progress off >/dev/null 2>&1 || true
  read -r pcreated pns plag pwall preq <<<"$(jq -r '"\(.orders.created) \(.engine.not_sent // 0) \(.engine.send_lag_p99_ms) \(.engine.wall_s) \(.engine.requests // 0)"' "$tmp/p.json")"
  psent=$((pcreated - pns))
  pcpu=$(cpu "$tmp/tp")
  awk -v r="$rate" -v w="$want" -v vs="$vsent" -v vr="$vrate" -v vok="$vok" -v vp="$vp99" -v vc="$vcpu" \
      -v ps="$psent" -v pl="$plag" -v pc="$pcpu" -v pq="$preq" 'BEGIN {
    printf "%6d/s  vegeta: sent %d/%d, rate %d/s, success %.3f, p99 latency %.2f ms, %.3f CPU-s per 1000\n", r, vs, w, vr, vok, vp, vc * 1000 / vs
    printf "         paydrill: sent %d/%d, send-time error p99 %.3f ms, %.3f CPU-s per 1000 orders, %d HTTP requests in all, %.3f CPU-s per 1000;  paydrill/vegeta CPU per order = %.2f, per request = %.2f\n", ps, w, pl, pc * 1000 / ps, pq, pc * 1000 / pq, (pc / ps) / (vc / vs), (pc / pq) / (vc / vs)
  }'
  if awk -v s="$vsent" -v w="$want" -v vr="$vrate" -v r="$rate" 'BEGIN { exit !(s >= 0.99 * w && vr >= 0.99 * r) }'; then best_v=$rate; fi
  if awk -v s="$psent" -v w="$want" 'BEGIN { exit !(s >= 0.99 * w) }'; then best_p=$rate; fi
done
echo "highest rate held: vegeta $best_v/s, paydrill $best_p/s"
fi

if on 2; then
echo; echo "## 2. vegeta against the mock create-payment endpoint: 500/s for 30 s"
bin/paydrill mock scenarios/merchant-freeze.yaml --port $MOCK >/dev/null & pids+=($!)
sleep 0.5
printf "POST http://127.0.0.1:$MOCK/v1/payments\nContent-Type: application/json\n@bench/payment.json\n" > "$tmp/mock-targets"
vegeta attack -rate=500 -duration=30s -targets="$tmp/mock-targets" \
  | vegeta report -type=json | jq -c '{requests, success, status_codes, p50_ms: (.latencies."50th"/1e6), p99_ms: (.latencies."99th"/1e6), errors}'

fi

if on 3; then
echo; echo "## 3. wrk: the mock provider (latency scaled to ~0) against a bare net/http handler (plain and hardened server), 15 s each"
bin/paydrill mock scenarios/merchant-freeze.yaml --port $MOCKW --time-scale 1000000 >/dev/null & mock=$!; pids+=($mock)
sleep 0.5
wrk_cpu() { # PID URL: requests/s and server CPU microseconds per request
  local t0 t1 out n
  t0=$(awk '{print $14 + $15}' "/proc/$1/stat")
  out=$(wrk -t2 -c64 -d15s -s bench/post.lua "$2")
  t1=$(awk '{print $14 + $15}' "/proc/$1/stat")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) / hz * 1e6 / n}')"
}
read -r mrps mus <<<"$(wrk_cpu "$mock" http://127.0.0.1:$MOCKW/v1/payments)"
read -r brps bus <<<"$(wrk_cpu "${pids[0]}" http://127.0.0.1:$NULL/v1/payments)"
read -r hrps hus <<<"$(wrk_cpu "${pids[0]}" http://127.0.0.1:$NULLH/v1/payments)"
awk -v mr="$mrps" -v mu="$mus" -v br="$brps" -v bu="$bus" -v hr="$hrps" -v hu="$hus" 'BEGIN {
  printf "mock (alpha, generic protocol): %.0f requests/s, %.1f us CPU per request\n", mr, mu
  printf "bare handler, plain server:     %.0f requests/s, %.1f us CPU per request\n", br, bu
  printf "bare handler, hardened server:  %.0f requests/s, %.1f us CPU per request\n", hr, hu
  printf "mock / bare (plain):    throughput %.2f, CPU per request (bare/mock) %.2f\n", mr / br, bu / mu
  printf "mock / bare (hardened): throughput %.2f, CPU per request (bare/mock) %.2f\n", mr / hr, hu / mu
}'
fi
