#!/usr/bin/env bash
# Side-by-side benchmarks of the live mode against peers, in one run on one
# machine (BENCHMARKS.md quotes this script's output):
#   1. paydrill's open-model load generator and vegeta, at the same fixed
#      rates, against the same do-nothing router (bench/nullsut);
#   2. vegeta driving the mock's create-payment endpoint for 30 s at a fixed
#      rate: every answer must be 201 (created) or 402 (declined);
#   3. wrk against the mock provider and against a bare net/http handler.
# Loopback only. Needs vegeta (go install) and wrk (Debian); installs them if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"1000 2000 5000 10000"}
DURATION=${DURATION:-30s}
export PATH="$PATH:$(go env GOPATH)/bin"
command -v vegeta >/dev/null || go install github.com/tsenart/vegeta/v12@v12.13.0
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
go build -o bin/paydrill ./cmd/paydrill
go build -o bin/nullsut ./bench/nullsut
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
bin/nullsut -listen 127.0.0.1:9300 2>/dev/null & pids+=($!)
sleep 0.5
echo "## machine: $(nproc) cores, $(go version | cut -d' ' -f3), vegeta v12.13.0 (go install), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"

echo; echo "## 1. load generators at fixed rates against bench/nullsut (duration $DURATION)"
printf "POST http://127.0.0.1:9300/v1/orders\nContent-Type: application/json\n@bench/order.json\n" > /tmp/paydrill-targets
for rate in $RATES; do
  echo "### rate $rate/s"
  echo -n "vegeta:   "
  vegeta attack -rate="$rate" -duration="$DURATION" -targets=/tmp/paydrill-targets -max-workers=10000 \
    | vegeta report -type=json | jq -c '{requests, rate: (.rate|floor), throughput: (.throughput|floor), success, p99_ms: (.latencies."99th"/1e6), errors: (.errors|length)}'
  sed "s|RATE|$rate/s|; s|duration: 30s|duration: $DURATION|" bench/load.yaml > /tmp/paydrill-load.yaml
  echo -n "paydrill: "
  bin/paydrill run /tmp/paydrill-load.yaml --sut http://127.0.0.1:9300 --json - -q --progress off 2>/dev/null \
    | jq -c '{orders: .orders.created, sent: (.orders.created - (.engine.not_sent // 0)), rate: ((.orders.created - (.engine.not_sent // 0)) / .scenario.duration_s | floor), send_lag_p99_ms: .engine.send_lag_p99_ms, checkout_p99_ms: .latency.p99_ms}'
done

echo; echo "## 2. vegeta against the mock create-payment endpoint: 500/s for 30 s"
bin/paydrill mock scenarios/merchant-freeze.yaml --port 9100 >/dev/null & pids+=($!)
sleep 0.5
printf "POST http://127.0.0.1:9100/v1/payments\nContent-Type: application/json\n@bench/payment.json\n" > /tmp/paydrill-mock-targets
vegeta attack -rate=500 -duration=30s -targets=/tmp/paydrill-mock-targets \
  | vegeta report -type=json | jq -c '{requests, success, status_codes, p50_ms: (.latencies."50th"/1e6), p99_ms: (.latencies."99th"/1e6), errors}'

echo; echo "## 3. wrk: the mock provider (latency scaled to ~0) against a bare net/http handler, 15 s each"
bin/paydrill mock scenarios/merchant-freeze.yaml --port 9200 --time-scale 1000000 >/dev/null & pids+=($!)
sleep 0.5
echo "### mock (alpha, generic protocol)"
wrk -t2 -c64 -d15s -s bench/post.lua http://127.0.0.1:9200/v1/payments | grep -E "Requests/sec|Latency|requests in|Non-2xx"
echo "### bare net/http handler"
wrk -t2 -c64 -d15s -s bench/post.lua http://127.0.0.1:9300/v1/payments | grep -E "Requests/sec|Latency|requests in|Non-2xx"
