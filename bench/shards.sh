#!/usr/bin/env bash
# Shards on one machine (BENCHMARKS.md, "Shards"): wall and CPU time of one
# process running SEEDS seeds of the default drill on one core, against N
# shards of the same seeds run side by side (each on one core), and the
# CPU cost per run of a sample of the 160,000-run rehearsal (every sweepable
# built-in drill that is not a small-shop variant × 8 routers × 5 rates,
# one seed). Usage: bench/shards.sh [SEEDS] [ROUNDS]
set -euo pipefail
seeds=${1:-64}
rounds=${2:-3}
pd=${PAYDRILL:-bin/paydrill}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT='%R %U %S'

measure() { # label, command...: prints label, wall s, cpu s
	local label=$1; shift
	local t
	t=$( { time "$@" >/dev/null 2>&1 || true; } 2>&1 | tail -1)
	read -r real user sys <<<"$t"
	printf '%-28s wall %7.2f s  cpu %7.2f s\n' "$label" "$real" "$(echo "$user + $sys" | bc)"
}
shards() { # n: n shards of the seeds side by side, each --jobs 1, then merge
	local n=$1 pids=()
	for ((i = 0; i < n; i++)); do
		"$pd" run builtin:merchant-freeze --seeds "$seeds" --jobs 1 -q --shard "$i/$n" --partial "$tmp/p$i.json" &
		pids+=($!)
	done
	wait "${pids[@]}"
	"$pd" merge "$tmp"/p*.json -q || true
	rm -f "$tmp"/p*.json
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $seeds seeds of builtin:merchant-freeze"
for ((r = 1; r <= rounds; r++)); do
	measure "1 process, --jobs 1" "$pd" run builtin:merchant-freeze --seeds "$seeds" --jobs 1 -q
	measure "2 shards side by side" shards 2
	measure "4 shards side by side" shards 4
	measure "1 process, --jobs 2" "$pd" run builtin:merchant-freeze --seeds "$seeds" --jobs 2 -q
done

routers=health,priority,static,retry-blind,elimination,success-rate,consecutive,unpaid-streak
rates=6/h,1/min,3/min,10/min,1/s
runs=0
cpu=0
for d in $("$pd" list | awk '{print $1}' | grep -v small-); do
	t=$( { time "$pd" sweep "$d" --rates "$rates" --routers "$routers" --seeds 1 --jobs 2 -q >/dev/null 2>&1 || true; } 2>&1 | tail -1)
	read -r real user sys <<<"$t"
	# a drill sweep refuses (ramp arrivals) exits 2 and is not counted
	if "$pd" sweep "$d" --rates 1/min --seeds 1 --jobs 1 -q >/dev/null 2>&1; then
		runs=$((runs + 40))
		cpu=$(echo "$cpu + $user + $sys" | bc)
	fi
done
echo "rehearsal sample: $runs runs, cpu $cpu s, $(echo "scale=4; $cpu / $runs" | bc) cpu s per run"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
