#!/usr/bin/env bash
# Runs the seed's Step 3, the status tables and STOP/RESTART SYNC against a running playground
# (`npx nebula-sync playground` in another terminal), with `nebula-sync console -f`. Between a
# write on the primary and a read on the secondary it waits until SHOW SYNC STATUS shows every
# partition ONLINE with no lag. Exits non-zero at the first failure.
#
#   examples/run-seed.sh                     # against the playground's fixed ports
#   SYNC_TIMEOUT_SECS=120 examples/run-seed.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

HOST=${HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-9669}
SECONDARY_PORT=${SECONDARY_PORT:-9671}
SYNC_TIMEOUT_SECS=${SYNC_TIMEOUT_SECS:-60}

ns_console() {
  local port=$1
  shift
  node bin/nebula-sync.js console --addr "$HOST" --port "$port" -u root -p nebula "$@"
}
primary() { ns_console "$PRIMARY_PORT" "$@"; }
secondary() { ns_console "$SECONDARY_PORT" "$@"; }

step() { printf '\n=== %s\n' "$*"; }
die() {
  printf 'run-seed: %s\n' "$*" >&2
  exit 1
}

# True when SHOW SYNC STATUS lists partitions 0..15, every one ONLINE with LogId Lag 0.
synced() {
  local out
  out=$(primary -e 'USE basketballplayer; SHOW SYNC STATUS' 2>&1) || return 1
  awk -F'|' '
    $2 ~ /^ *[0-9]+ *$/ { rows++; gsub(/[ "]/, "", $3); gsub(/ /, "", $4); if ($3 != "ONLINE" || $4 != "0") bad++ }
    END { exit !(rows >= 16 && bad == 0) }' <<<"$out"
}

wait_synced() {
  local deadline=$((SECONDS + SYNC_TIMEOUT_SECS))
  printf 'waiting for the secondary to catch up (SHOW SYNC STATUS on the primary) ...\n'
  until synced; do
    if ((SECONDS >= deadline)); then
      primary -e 'USE basketballplayer; SHOW SYNC STATUS' || true
      die "the sync did not catch up within ${SYNC_TIMEOUT_SECS}s"
    fi
    sleep 0.5
  done
}

# run_checked WHAT COMMAND...: run a console, print its output, stop on failure; output in $OUT.
OUT=''
run_checked() {
  local what=$1
  shift
  if ! OUT=$("$@" 2>&1); then
    printf '%s\n' "$OUT"
    die "$what failed"
  fi
  printf '%s\n' "$OUT"
}

expect_out() {
  grep -qF -- "$1" <<<"$OUT" || die "expected $2 in the output above: $1"
}

step 'Step 3.1 on the primary: schema and data (examples/step3-primary.ngql)'
run_checked 'step3-primary' primary -f examples/step3-primary.ngql
wait_synced

step 'Step 3.2 on the secondary: validate (examples/step3-secondary.ngql)'
run_checked 'step3-secondary' secondary -f examples/step3-secondary.ngql
expect_out '{age: 42, name: "Tim Duncan"}' 'player100 on the secondary'
expect_out '"player100"' 'the follow edge on the secondary'

step 'Status on the primary (examples/status-primary.ngql)'
run_checked 'status-primary' primary -f examples/status-primary.ngql
step 'Status on the secondary (examples/status-secondary.ngql)'
run_checked 'status-secondary' secondary -f examples/status-secondary.ngql
expect_out '"read_only" | "bool" | true' 'the secondary space read_only'

step 'STOP SYNC, four writes, RESTART SYNC on the primary (examples/stop-restart.ngql)'
run_checked 'stop-restart' primary -f examples/stop-restart.ngql
wait_synced

step 'The writes made while stopped reached the secondary (examples/after-restart-secondary.ngql)'
run_checked 'after-restart-secondary' secondary -f examples/after-restart-secondary.ngql
expect_out '"Marco Belinelli"' 'player104 on the secondary'

printf '\nrun-seed: every step passed\n'
