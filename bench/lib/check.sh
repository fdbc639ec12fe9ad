#!/usr/bin/env bash
# bench/lib/check.sh BINARY WORK: targets 4 and 5. `check --all --no-filesystem` against `cat`
# of the same files for 1,000 and 10,000 configs in two mixes (10 % YAML: what the seed's users
# write; 50 % YAML), and `list` over 1,000 configured containers. Results in WORK/results.
set -euo pipefail
binary="$1" work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
results="$work/results"
mkdir -p "$results"
for mix in 10 50; do
    for count in 1000 10000; do
        corpus="$work/corpus-$mix-$count"
        python3 "$here/corpus.py" "$corpus" "$count" "$mix"
        # check exits 0 (warnings only); a non-zero status would be a broken corpus: stop.
        "$binary" check --all --no-filesystem --path "$corpus" >/dev/null 2>&1
        for ((round = 1; round <= ROUNDS; round++)); do  # rounds: see bench/lib/start.sh
            hyperfine --warmup 2 --min-runs 5 --style none --export-json "$results/check-$mix-$count-$round.json" \
                -n cat "cat $corpus/configs/*" \
                -n check "$binary check --all --no-filesystem --path $corpus" >/dev/null
        done
        printf 'check-%s-%s\t%s\n' "$mix" "$count" "$binary check --all --no-filesystem --path $corpus" >>"$results/commands.tsv"
        printf 'cat-%s-%s\t%s\n' "$mix" "$count" "cat $corpus/configs/*" >>"$results/commands.tsv"
    done
done
# list: 1,000 configured containers, none running (the 10 % corpus of 1,000).
hyperfine -N --warmup 3 --min-runs 30 --style none --export-json "$results/list.json" \
    -n "container list" "$binary list --path $work/corpus-10-1000" >/dev/null
printf 'container list\t%s\n' "$binary list --path $work/corpus-10-1000" >>"$results/commands.tsv"
