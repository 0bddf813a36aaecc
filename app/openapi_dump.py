"""Writes the OpenAPI document the app serves to `openapi.yaml`: the contract, readable without running it.

Run `python -m app.openapi_dump` after changing a route or schema; `--check` exits 1 when the file
is out of date (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from app.main import create_app

OPENAPI_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
REGENERATE = "python -m app.openapi_dump"


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (descriptions) as literal blocks, so they read as written."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render() -> str:
    """The app's OpenAPI document as YAML, keys in the order the app serves them."""
    document = create_app().openapi()
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str] | None = None) -> int:
    """Write `openapi.yaml`, or with `--check` report whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the file differs")
    args = parser.parse_args(argv)
    current = render()
    if args.check:
        stale = not OPENAPI_PATH.exists() or OPENAPI_PATH.read_text(encoding="utf-8") != current
        if stale:
            print(f"{OPENAPI_PATH.name} is out of date: run `{REGENERATE}`", file=sys.stderr)
        return 1 if stale else 0
    OPENAPI_PATH.write_text(current, encoding="utf-8")
    print(f"wrote {OPENAPI_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
