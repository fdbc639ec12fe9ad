#!/usr/bin/env python3
"""report.py WORK BINARY: docs/performance.md from the results bench/run.sh left in WORK/results."""
import json
import os
import platform
import re
import statistics
import subprocess
import sys

work, binary = sys.argv[1], sys.argv[2]
results = os.path.join(work, "results")


def load(name):
    with open(os.path.join(results, name)) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def load_rounds(prefix):
    """The rounds PREFIX-1.json, PREFIX-2.json, ...: per command, the median of the pooled
    times ("median") and the list of per-round medians ("rounds")."""
    rounds = []
    index = 1
    while os.path.exists(os.path.join(results, f"{prefix}-{index}.json")):
        rounds.append(load(f"{prefix}-{index}.json"))
        index += 1
    merged = {}
    for name in rounds[0]:
        times = [t for r in rounds for t in r[name]["times"]]
        merged[name] = {"median": statistics.median(times), "rounds": [r[name]["median"] for r in rounds]}
    return merged


def ratio_of(ours, other):
    """The median over the rounds of ours / other, each round measuring both."""
    return statistics.median(a / b for a, b in zip(ours["rounds"], other["rounds"]))


COMMANDS = {}
if os.path.exists(os.path.join(results, "commands.tsv")):
    for line in open(os.path.join(results, "commands.tsv")):
        label, _, text = line.rstrip("\n").partition("\t")
        COMMANDS[label] = text.replace(binary, "$BIN").replace(os.environ.get("FLOOR_BINARY", "\0"), "$FLOOR").replace(work, "$WORK")


def command(label):
    return COMMANDS.get(label, label)


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not installed"


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


rows = []  # (figure, command, median, reference, ratio, target, met)


def row(figure, command, value, reference, ratio, target, met):
    verdict = "-" if met is None else "met" if met else "**missed**"
    rows.append((figure, f"`{command}`", value, reference, ratio, target, verdict))


start = load_rounds("start")
ours = start["container start -d"]
for other, limit in (("crun run", 0.8), ("unshare+chroot (floor)", 2.5), ("bwrap", None), ("runc run", None),
                     ("argument-parser floor", None)):
    if other not in start:
        continue
    ratio = ratio_of(ours, start[other])
    target = f"≤ {limit} ×" if limit else "(reference)"
    row(f"1. start → /bin/true exits, vs {other}", command("container start -d"), ms(ours["median"]),
        f"{ms(start[other]['median'])}: `{command(other)}`", f"{ratio:.2f}", target,
        None if limit is None else ratio <= limit)

exec_state = open(os.path.join(results, "exec.txt")).read().strip() if os.path.exists(os.path.join(results, "exec.txt")) else "not measured"
if exec_state == "measured":
    execs = load_rounds("exec")
    ours_exec = execs["container exec"]
    for other, limit in (("crun exec", 0.8), ("nsenter", 2.0)):
        ratio = ratio_of(ours_exec, execs[other])
        row(f"2. exec /bin/true into a running container, vs {other}", command("container exec"),
            ms(ours_exec["median"]), f"{ms(execs[other]['median'])}: `{command(other)}`", f"{ratio:.2f}",
            f"≤ {limit} ×", ratio <= limit)
else:
    row("2. exec /bin/true into a running container, vs crun exec and nsenter", "$BIN exec", exec_state, "-", "-",
        "≤ 0.8 × crun exec, ≤ 2 × nsenter", None)

many = load_rounds("many")
one, every = many["container start (one)"], many["container start-all (50)"]
crun_loop = many["crun run × 50"]
per_start = statistics.median(a / (50 * b) for a, b in zip(every["rounds"], one["rounds"]))
row("3. start-all, 50 containers (detached, /bin/true), vs 50 × one detached start", command("container start-all (50)"),
    ms(every["median"]), f"50 × {ms(one['median'])}: `{command('container start (one)')}`", f"{per_start:.2f}",
    "≤ 1 ×", per_start <= 1)
row("3. start-all, 50 containers, vs crun run one by one", command("container start-all (50)"), ms(every["median"]),
    f"{ms(crun_loop['median'])}: `{command('crun run × 50')}`", f"{ratio_of(every, crun_loop):.2f}", "(reference)", None)

detached = dict(line.strip().split("=", 1) for line in open(os.path.join(results, "detached.txt")))
left = int(detached["launcher_processes_left"])
parent_ours = detached["init_parent_comm"] == "container"
row("4. resident memory per detached container beyond its own processes",
    "$BIN start --path $WORK/state bg; pgrep -c -f '^$BIN( |$)'", f"{left} processes of ours",
    f"init's parent: pid {detached['init_ppid']} ({detached['init_parent_comm']})", "-", "0",
    left == 0 and not parent_ours)


def peak(label, field="vmhwm_kib"):
    """Median over the runs of one field of bench/tools/peakrss's output line, in KiB."""
    values = []
    for line in open(os.path.join(results, f"peak-{label}.txt")):
        fields = dict(item.split("=") for item in line.split())
        values.append(int(fields[field]))
    return statistics.median(values) if values else float("nan")


peak_ours, peak_crun = peak("container"), peak("crun")
row("4. launcher peak RSS (VmHWM at exit, median of 7)", f"$WORK/peakrss {command('container start -d')}",
    f"{peak_ours / 1024:.2f} MiB", f"crun {peak_crun / 1024:.2f} MiB", f"{peak_ours / peak_crun:.2f}",
    "≤ 1 ×, or the private part below crun's", peak_ours <= peak_crun or peak("container", "anon_kib") < peak("crun", "anon_kib"))
anon_ours, anon_crun = peak("container", "anon_kib"), peak("crun", "anon_kib")
row("4. launcher private memory (RssAnon at exit, median of 7)", f"$WORK/peakrss {command('container start -d')}",
    f"{anon_ours:.0f} KiB", f"crun {anon_crun:.0f} KiB", f"{anon_ours / anon_crun:.2f}", "< 1 × (the rest: shared file pages)",
    anon_ours < anon_crun)

for mix in (10, 50):
    per_file, cat_per_file = {}, {}
    for count in (1000, 10000):
        check = load_rounds(f"check-{mix}-{count}")
        ratio = ratio_of(check["check"], check["cat"])
        per_file[count] = check["check"]["median"] / count
        cat_per_file[count] = check["cat"]["median"] / count
        if count == 10000:
            row(f"5. check, {count:,} configs, {mix} % YAML, vs cat", command(f"check-{mix}-{count}"),
                ms(check["check"]["median"]), f"{ms(check['cat']['median'])}: `{command(f'cat-{mix}-{count}')}`",
                f"{ratio:.2f}",
                "≤ 1.5 ×", ratio <= 1.5)
    growth = per_file[10000] / per_file[1000]
    cat_growth = cat_per_file[10000] / cat_per_file[1000]
    # Linear: the time per file does not grow by more than 20 %, or not more than cat's does
    # on the same files (then the growth is the filesystem's: a directory of 10,000 entries).
    row(f"5. check linearity, {mix} % YAML", "(time per file at 10,000) / (at 1,000)",
        f"{per_file[10000] * 1e6:.1f} µs/file", f"{per_file[1000] * 1e6:.1f} µs/file at 1,000; "
        f"cat: {cat_per_file[10000] * 1e6:.1f} / {cat_per_file[1000] * 1e6:.1f} = {cat_growth:.2f}",
        f"{growth:.2f}", "≤ 1.2, or ≤ cat's", growth <= 1.2 or growth <= cat_growth * 1.05)

listing = load("list.json")["container list"]
row("5. list, 1,000 configured containers", command("container list"), ms(listing["median"]), "-", "-",
    "< 50 ms", listing["median"] < 0.050)


def strace_total(label):
    path = os.path.join(results, f"strace-{label}.txt")
    total = [l for l in open(path) if l.strip().endswith("total")] if os.path.exists(path) else []
    return total[-1].split()[3] if total else "?"


print("# Performance\n")
print("Generated by `bench/run.sh` (`make bench`); do not edit by hand. All figures come from one")
print("run on one machine, every tool measured side by side: each comparison is measured in rounds")
print("(every command once per round, several runs each), the ratio is the median of the per-round")
print("ratios and the times are medians of all runs. The start figures run inside")
print("`unshare -m --propagation private` with an empty tmpfs over `/sys/fs/cgroup/unified` for all")
print("tools alike (crun 1.8 refuses the hybrid cgroup layout).\n")
print(f"* machine: {cpu_model()}, {os.cpu_count()} CPUs, kernel {platform.release()}")
print(f"* tools: {version(['hyperfine', '--version'])}; {version(['crun', '--version'])}; "
      f"{version(['bwrap', '--version'])}; runc: {version(['runc', '--version'])}")
print(f"* `$BIN` = `{binary}`, {os.path.getsize(binary) / 1e6:.1f} MB, "
      f"{'static' if 'statically' in version(['file', '-L', binary]) else 'dynamic'}")
print("* `$WORK` = the benchmark's temporary directory (busybox root, OCI bundle, state, corpora)")
print("* `$FLOOR` = bench/floor: a static Swift program that only parses `start -d --path DIR NAME` with")
print("  swift-argument-parser (same toolchain, link mode and checkout as `$BIN`) and exits")
print(f"* container init for the start rows: `/bin/true` of busybox-static, namespaces `phi`; "
      f"crun's OCI bundle is the same config exported by `container export` (the same root, namespaces, "
      f"mounts, masks, capabilities and device rules)\n")
print("| figure | command | median | reference | median ratio | target | |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
if "argument-parser floor" in start and "crun run" in start:
    floor, unshare, crun = start["argument-parser floor"], start["unshare+chroot (floor)"], start["crun run"]
    both = statistics.median((f + u) / c for f, u, c in zip(floor["rounds"], unshare["rounds"], crun["rounds"]))
    print(f"\nThe argument-parser floor alone takes {ms(floor['median'])}, {ratio_of(floor, crun):.2f} × crun's "
          f"whole start; the unshare+chroot floor (kernel work, no parsing) {ms(unshare['median'])}, "
          f"{ratio_of(unshare, crun):.2f} × crun. Their sum is {both:.2f} × crun (median over the rounds).")
print(f"\nSyscalls per start (whole process tree, `strace -f -c`): container {strace_total('container')}, "
      f"crun {strace_total('crun')}; a detached start {strace_total('start-one')}, start-all of 50 "
      f"{strace_total('start-all')}.")
print("\nThe launchers' resident set at exit, split (median of 7 runs, KiB; `anon` is private memory,")
print("`file` pages of the mapped executable and libraries, page cache shared with every process")
print("mapping them):\n")
print("| launcher | VmHWM | RssAnon | RssFile |")
print("|---|---|---|---|")
for label in ("container", "crun", "bwrap", "unshare", "floor"):
    if os.path.exists(os.path.join(results, f"peak-{label}.txt")):
        print(f"| {label} | {peak(label):.0f} | {peak(label, 'anon_kib'):.0f} | {peak(label, 'file_kib'):.0f} |")
print(f"\ninit of a detached container (the static `sleeper`): VmRSS {int(detached['init_rss_kib'])} KiB.")
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis.md")
if os.path.exists(notes):
    print("\n" + open(notes).read().rstrip())
