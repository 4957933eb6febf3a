#!/usr/bin/env bash
# Runs every benchmark and rewrites the figures table in bench/README.md (between the
# `figures:begin` / `figures:end` markers) with the machine's cores and the date.
# Usage: bench/run-all.sh [--long]   (--long adds the 10-minute roulette)
set -euo pipefail
cd "$(dirname "$0")/.."
long=false
[ "${1:-}" = "--long" ] && long=true
cargo build --release -p lifeguard-cli -p lifeguard-testprog -p lifeguard-bench
cargo build --release -p lifeguard-service --example history-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rows=()
run() { # name, command…
  local name=$1; shift
  echo "==> $name: $*" >&2
  if "$@" >"$out/$name" 2>&1; then :; else echo "($name exited $?)" >>"$out/$name"; fi
  cat "$out/$name" >&2
}
pick() { grep -E "$2" "$out/$1" | tr -s ' ' | paste -sd ';' | sed 's/|/\\|/g'; }
row() { rows+=("| $1 | \`$2\` | $3 |"); }

run respawn target/release/respawn-latency 200
row "kill-to-respawn latency" "target/release/respawn-latency 200" "$(pick respawn 'p50|p99|max')"
run idle target/release/idle-cost 60
row "idle cost (lifeguard run, 1 program)" "target/release/idle-cost 60" "$(pick idle 'CPU|context|RSS|threads')"
run daemon-idle target/release/daemon-idle 60
row "daemon idle, 1 and 100 programs" "target/release/daemon-idle 60" "$(pick daemon-idle '^ *[0-9]+ ')"
run mass-kill target/release/mass-kill 100 10
row "mass kill (100 at once, target ≤ 1 s)" "target/release/mass-kill 100 10" "$(pick mass-kill '^all')"
run storm target/release/restart-storm 60
row "restart storm (60 s crash loop)" "target/release/restart-storm 60" "$(pick storm 'starts made|CPU')"
run history target/release/examples/history-bench
row "history insert/query" "cargo run --release -p lifeguard-service --example history-bench" "$(tail -n 4 "$out/history" | paste -sd ';' | sed 's/|/\\|/g')"
run roulette-full target/release/roulette --duration 60s
row "roulette 60 s, full mix + 5 daemon SIGKILLs" "target/release/roulette --duration 60s" "$(pick roulette-full 'seed|overall|lost|duplicate|left after|RESULT')"
if $long; then
  run roulette-long target/release/roulette --long
  row "roulette 10 min, full mix" "target/release/roulette --long" "$(pick roulette-long 'seed|overall|lost|duplicate|left after|RESULT')"
fi

table=$(printf '%s\n' "Machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)." "" "| benchmark | command | figures |" "|---|---|---|" "${rows[@]}")
python3 - "$table" <<'PY'
import re, sys
path = "bench/README.md"
text = open(path).read()
block = "<!-- figures:begin -->\n" + sys.argv[1] + "\n<!-- figures:end -->"
if "<!-- figures:begin -->" in text:
    text = re.sub(r"<!-- figures:begin -->.*?<!-- figures:end -->", lambda m: block, text, flags=re.S)
else:
    text += "\n## All figures (bench/run-all.sh)\n\n" + block + "\n"
open(path, "w").write(text)
PY
echo "bench/README.md updated" >&2
