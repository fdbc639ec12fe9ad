#!/usr/bin/env python3
"""corpus.py DIR COUNT YAML_PERCENT: a state directory with COUNT configs in DIR/configs.

The mix is what users of the seed write: KEY=VALUE files of 4 to 12 lines (comments, blank
lines, a mount or two, limits), and YAML_PERCENT % of YAML files with the same content. About
one file in a hundred draws a warning, so the diagnostics path is exercised too. The content
is deterministic (no randomness): two runs give byte-identical corpora.
"""
import os
import sys

directory, count, yaml_percent = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
configs = os.path.join(directory, "configs")
os.makedirs(configs, exist_ok=True)
for sub in ("logs", "pids"):
    os.makedirs(os.path.join(directory, sub), exist_ok=True)

LETTERS = ["phi", "uphti", "all", "p", "ph", "uph", "pi"]


def key_value(i, name):
    lines = [f"# {name}: generated for the benchmark", f"root=/srv/{name}", "init=/sbin/init",
             f"namespaces={LETTERS[i % len(LETTERS)]}"]
    if i % 2 == 0:
        lines.append(f"max_physical_memory={64 + i % 512}M")
    if i % 3 == 0:
        lines += ["", "max_memory=1G"]
    if i % 5 != 4:
        lines.append(f"cpu_share={2 + i % 1000}")
    if i % 4 == 0:
        lines.append(f"mount=/srv/shared/{i % 7}:/data")
    if i % 6 == 0:
        lines.append("mount_ro=/srv/etc:/etc/app")
    if i % 8 == 0:
        lines.append(f"iops_limit=8:0 {100 + i}")
    if i % 10 == 0:
        lines.append(f"net_classid=0x{0x100000 + i:x}")
    if i % 100 == 0:
        lines.append("max_processes=100 ")  # trailing blank: a warning
    return "\n".join(lines) + "\n"


def yaml(i, name):
    text = (f"# {name}\nroot: /srv/{name}\ninit: /sbin/init\nnamespaces: [pid, uts, ipc]\n"
            f"memory: {{ physical: {64 + i % 512}M, total: 1G }}\ncpu_share: {2 + i % 1000}\n")
    if i % 2 == 0:
        text += "mounts:\n  - /srv/data:/data\n"
    return text


step = 100 // yaml_percent if yaml_percent else 0
for i in range(count):
    name = f"c{i:05d}"
    if step and i % step == step - 1:
        path, text = os.path.join(configs, name + ".yaml"), yaml(i, name)
    else:
        path, text = os.path.join(configs, name), key_value(i, name)
    with open(path, "w") as f:
        f.write(text)
