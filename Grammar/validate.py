#!/usr/bin/env python3
"""Validate YAML container configs against Grammar/config.schema.json.

Usage: validate.py FILE...

Prints one line per file, "FILE: valid" or "FILE: invalid: REASON", and exits 0 when every
file is valid, 1 when one is not, 2 when the jsonschema or yaml module is missing or a file
cannot be read. Used by Tests/ConfigLanguageTests/SchemaTests.swift; editors can use the
schema directly.
"""
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # the test must fail, not skip, without them
    print(f"validate.py: missing module: {error.name} (pip install jsonschema pyyaml)", file=sys.stderr)
    sys.exit(2)


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.schema.json")
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    status = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                document = yaml.safe_load(handle.read())
        except OSError as error:
            print(f"{path}: unreadable: {error}")
            return 2
        except yaml.YAMLError as error:
            print(f"{path}: invalid: YAML: {str(error).splitlines()[0]}")
            status = 1
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            where = "/".join(str(part) for part in errors[0].absolute_path) or "(document)"
            print(f"{path}: invalid: {where}: {errors[0].message}")
            status = 1
        else:
            print(f"{path}: valid")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
