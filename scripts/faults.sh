#!/usr/bin/env bash
# `npm run faults`: the whole fault suite at full size (1 000 kill -9 runs unless GAUNTLET_FAULT_RUNS
# says otherwise, and the larger disk, corruption and concurrency sets), then the totals of faults
# injected and of ledger entries or records lost or duplicated — both must be 0.
set -uo pipefail
cd "$(dirname "$0")/.."
tally="$(mktemp)"
GAUNTLET_FAULT_RUNS="${GAUNTLET_FAULT_RUNS:-1000}" GAUNTLET_FAULT_TALLY="$tally" npx vitest run test/faults "$@"
status=$?
npx tsx test/faults/summarise.ts "$tally" || status=1
rm -f "$tally"
exit "$status"
