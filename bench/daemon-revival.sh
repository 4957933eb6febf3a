#!/usr/bin/env bash
# How long a SIGKILLed daemon under its keeper (`lifeguard daemon`, the default) takes to
# answer on its socket again, with no desktop app around: N rounds, one line each, then
# min / median / max. Usage: bench/daemon-revival.sh [ROUNDS] [LIFEGUARD_BINARY]
set -euo pipefail
rounds=${1:-10}
bin=${2:-target/release/lifeguard}
dir=$(mktemp -d)
export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data \
  XDG_STATE_HOME=$dir/state XDG_RUNTIME_DIR=$dir/run
mkdir -p -m 0700 "$dir/run"
"$bin" daemon 2>"$dir/daemon.err" &
keeper=$!
trap '"$bin" shutdown >/dev/null 2>&1 || kill "$keeper"; wait "$keeper" 2>/dev/null; rm -rf "$dir"' EXIT
until "$bin" status >/dev/null 2>&1; do sleep 0.01; done
sleep 2.5 # a daemon killed within 2 s of its start is revived after a pause
daemon_of() { pgrep -P "$keeper" -f -- '--kept-by' || true; }
times=()
for _ in $(seq "$rounds"); do
  old=$(daemon_of)
  start=$(date +%s%N)
  kill -9 "$old"
  until new=$(daemon_of) && [ -n "$new" ] && [ "$new" != "$old" ] \
    && "$bin" status >/dev/null 2>&1; do sleep 0.005; done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "daemon $old SIGKILLed: daemon $new answers after $ms ms"
  times+=("$ms")
  sleep 2.5 # the keeper slows down revivals of a daemon that dies within 2 s
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "revival: min ${sorted[0]} ms, median ${sorted[$(( ${#sorted[@]} / 2 ))]} ms, max ${sorted[-1]} ms ($rounds rounds)"
