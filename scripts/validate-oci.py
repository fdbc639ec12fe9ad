#!/usr/bin/env python3
"""scripts/validate-oci.py CONFIG.json...: validates OCI config.json files against the
runtime-spec JSON Schema that Debian ships (golang-github-opencontainers-specs-dev), offline.

That schema is runtime-spec 1.0.2+dev (before 1.1.0). Two extensions, both what the runtimes
accept: the "time" namespace type (added by runtime-spec 1.1.0 with timeOffsets), and the
recursive rootfsPropagation forms rprivate/rslave/rshared/runbindable, which runc and crun
accept and the schema has forbidden since 2017 (opencontainers/runtime-spec#923, open).
Exit 0 all valid, 1 a file is invalid (each error printed), 2 the schema is missing."""
import json
import pathlib
import sys
import warnings

import jsonschema

SCHEMA = pathlib.Path("/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema")


def validator():
    store = {}
    for path in SCHEMA.glob("*.json"):
        document = json.loads(path.read_text())
        if path.name == "defs-linux.json":
            definitions = document["definitions"]
            definitions["NamespaceType"]["enum"].append("time")
            definitions["RootfsPropagation"]["enum"] += ["rprivate", "rslave", "rshared", "runbindable"]
        store[path.as_uri()] = document
    main = SCHEMA / "config-schema.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(base_uri=main.as_uri(), referrer=store[main.as_uri()], store=store)
    return jsonschema.Draft4Validator(store[main.as_uri()], resolver=resolver)


def main(paths):
    if not (SCHEMA / "config-schema.json").exists():
        print(f"validate-oci: no schema at {SCHEMA} (apt-get install golang-github-opencontainers-specs-dev)", file=sys.stderr)
        return 2
    check = validator()
    invalid = 0
    for path in paths:
        for error in check.iter_errors(json.loads(pathlib.Path(path).read_text())):
            print(f"{path}: {'.'.join(map(str, error.path)) or '<root>'}: {error.message}")
            invalid += 1
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
