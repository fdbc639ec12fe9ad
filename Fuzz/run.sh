#!/usr/bin/env bash
# Fuzz/run.sh config|json|plan SECONDS: builds the fuzz targets (Fuzz/build.sh) and runs one for
# SECONDS. The committed seeds (Fuzz/corpus/TARGET) are read, new inputs go to a scratch corpus
# under .build-fuzz, crashing inputs to Fuzz/crashes/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: Fuzz/run.sh config|json|plan SECONDS}"
duration="${2:-60}"
out="$root/.build-fuzz"
"$root/Fuzz/build.sh" "$out"
mkdir -p "$out/corpus/$target" "$root/Fuzz/crashes"
parallel=()
# FUZZ_JOBS=N runs N fuzzing processes (logs in fuzz-N.log); the machine is small, default one.
if [[ "${FUZZ_JOBS:-1}" -gt 1 ]]; then parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
# A plan is a few kilobytes even in compact JSON: its inputs need more room than a config's.
max_len=4096
if [[ "$target" == plan ]]; then max_len=16384; fi
"$out/fuzz-$target" -max_total_time="$duration" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    "${parallel[@]}" -print_final_stats=1 \
    -artifact_prefix="$root/Fuzz/crashes/$target-" \
    "$out/corpus/$target" "$root/Fuzz/corpus/$target"
