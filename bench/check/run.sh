#!/usr/bin/env bash
# bench/check/run.sh [SCRATCH]: `container check --all --no-filesystem` over 1,000 and 10,000
# generated configs (both forms, a few with warnings) against `cat` of the same files, with
# hyperfine. Prints the mean times and the ratio check/cat. Needs a release build (made here
# unless BINARY names one).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${1:-.build}"
cd "$root"
# BINARY=path skips the build (e.g. a binary made by `make release`).
if [[ -z "${BINARY:-}" ]]; then
    swift build -c release --scratch-path "$scratch" --product container >/dev/null
fi
binary="${BINARY:-$root/$scratch/release/container}"
work="$(mktemp -d /tmp/container-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

generate() {  # generate DIR COUNT
    python3 - "$1" "$2" <<'PY'
import os, sys
directory, count = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(directory, "configs"), exist_ok=True)
for i in range(count):
    name = f"c{i:05d}"
    if i % 4 == 3:
        text = (f"root: /srv/{name}\ninit: /sbin/init\nnamespaces: [user, pid, uts]\n"
                f"memory: {{ physical: {64 + i % 512}M, total: 1G }}\nmounts:\n  - /srv/data:/data\n")
        name += ".yaml"
    else:
        text = (f"# container {i}\nroot=/srv/{name}\ninit=/sbin/init\nnamespaces=uphti\n"
                f"max_physical_memory={64 + i % 512}M\nmax_memory=1G\ncpu_share={2 + i % 1000}\n"
                f"mount=/srv/data:/data\niops_limit=8:0 {100 + i}\n")
        if i % 100 == 0:
            text += "max_processes=100 \n"  # a warning now and then: the output path is exercised
    with open(os.path.join(directory, "configs", name), "w") as f:
        f.write(text)
PY
}

for count in 1000 10000; do
    directory="$work/n$count"
    generate "$directory" "$count"
    "$binary" check --all --no-filesystem --path "$directory" >/dev/null 2>&1 || true
    hyperfine --warmup 2 --min-runs 10 --export-json "$work/result-$count.json" --style basic \
        -n "cat $count" "cat $directory/configs/* >/dev/null" \
        -n "check $count" "$binary check --all --no-filesystem --path $directory >/dev/null 2>&1 || true"
    python3 - "$work/result-$count.json" "$count" <<'PY'
import json, sys
results = {r["command"].split()[0]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]} configs: cat {results['cat']*1000:.1f} ms, check {results['check']*1000:.1f} ms, "
      f"ratio check/cat = {results['check']/results['cat']:.2f}")
PY
done
