#!/usr/bin/env bash
# `make demo`: a realistic emulated store -> Meltano -> DuckDB -> a short report.
# Run it again and it syncs incrementally: the store changes a little between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
MELTANO="${MELTANO_BIN:-meltano}"
PY=.venv/bin/python
mkdir -p output
export MELTANO_SEND_ANONYMOUS_USAGE_STATS=false

log=output/emulator.log
.venv/bin/bigcommerce-emulator --port 0 --store-hash demo --token demo-token \
  --size "${DEMO_SIZE:-medium}" --seed 42 --quota 0 >"$log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" || true)
  [ -n "$url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "emulator did not start" >&2; exit 1; }
echo "Emulated store 'demo' at $url"

export TAP_BIGCOMMERCE_API_URL="$url"
export TAP_BIGCOMMERCE_STORE_HASH=demo
export TAP_BIGCOMMERCE_ACCESS_TOKEN=demo-token
export TAP_BIGCOMMERCE_START_DATE=2020-01-01T00:00:00Z

if [ -f output/demo.duckdb ]; then
  echo "Second run: the merchant changed 1% of products, customers and orders since last time."
  for c in products customers orders; do
    curl -sf -X POST "$url/__emulator/stores/demo/collections/$c/touch" \
      -H 'Content-Type: application/json' -d "{\"fraction\": 0.01, \"seed\": $RANDOM}" >/dev/null
  done
fi

"$MELTANO" install >output/meltano-install.log 2>&1 || { tail -40 output/meltano-install.log; exit 1; }
echo "Running: meltano run tap-bigcommerce target-duckdb (log: output/meltano-run.log)"
start=$(date +%s)
if ! "$MELTANO" run tap-bigcommerce target-duckdb >output/meltano-run.log 2>&1; then
  tail -40 output/meltano-run.log
  exit 1
fi
echo "Synced in $(( $(date +%s) - start )) s."
$PY scripts/demo_report.py output/demo.duckdb output/meltano-run.log
