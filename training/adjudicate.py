"""Merge two independent annotations of the project's own articles into one gold file each.

    .venv/bin/python training/adjudicate.py [FIRST_DIR SECOND_DIR] [--out tests/data/articles]

The two annotations of the project's own articles are kept in `tests/data/articles/annotations/first`
and `.../second` (the defaults), each made by an annotator who saw neither the other's work nor the
service's output.

The rule of `shared/eval/corpus`: a claim or target both annotators gave is required; one that only one
gave, that either marked borderline, or whose stance they disagreed on, is `"optional": true`. Claims
are paired as the scorer pairs predictions with gold (token F1 of the text >= 0.5, best first) and must
name the same speaker; targets are paired by the scorer's name comparison. Where they differ on a date,
type or wording, the first annotator's stands; aliases are the union of both. Prints the agreement of
the two, scored with the scorer in both directions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gold import OWN, print_summary, score, scorer


def merge_targets(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets both gave (with the same stance) are required; the rest optional."""
    names_match = scorer().names_match
    merged, used = [], set()
    for target in first:
        partner = next(
            (
                j
                for j, other in enumerate(second)
                if j not in used
                and (
                    names_match(other["name"], target | {"type": "other"})
                    or names_match(target["name"], other | {"type": "other"})
                )
            ),
            None,
        )
        entry = dict(target)
        if partner is None:
            entry["optional"] = True
        else:
            used.add(partner)
            other = second[partner]
            entry["aliases"] = sorted({*target.get("aliases", []), *other.get("aliases", [])})
            disagree = other["stance"] != target["stance"]
            entry["optional"] = bool(disagree or target.get("optional") or other.get("optional"))
        merged.append(entry)
    merged += [dict(t, optional=True) for j, t in enumerate(second) if j not in used]
    return merged


def merge_article(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One adjudicated article from two annotations of it."""
    sc = scorer()
    pairs = {gi: pi for gi, pi, _ in sc.match_claims(first["claims"], second["claims"])}
    claims, paired = [], set()
    for gi, claim in enumerate(first["claims"]):
        pi = pairs.get(gi)
        other = second["claims"][pi] if pi is not None else None
        if other is not None and not sc.names_match(other["speaker"]["name"], claim["speaker"]):
            other = None
        entry = dict(claim)
        if other is None:
            entry["optional"] = True
            entry["targets"] = [dict(t, optional=True) for t in claim.get("targets", [])]
        else:
            paired.add(pi)
            speaker = dict(claim["speaker"])
            speaker["aliases"] = sorted(
                {*claim["speaker"].get("aliases", []), *other["speaker"].get("aliases", [])}
            )
            entry["speaker"] = speaker
            entry["optional"] = bool(claim.get("optional") or other.get("optional"))
            entry["targets"] = merge_targets(claim.get("targets", []), other.get("targets", []))
        claims.append(entry)
    for pi, claim in enumerate(second["claims"]):
        if pi not in paired:
            claims.append(
                dict(claim, optional=True, targets=[dict(t, optional=True) for t in claim.get("targets", [])])
            )
    return dict(first, claims=claims)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("first", type=Path, nargs="?", default=OWN / "annotations" / "first")
    parser.add_argument("second", type=Path, nargs="?", default=OWN / "annotations" / "second")
    parser.add_argument("--out", type=Path, default=OWN)
    args = parser.parse_args()
    firsts = [json.loads(p.read_text("utf-8")) for p in sorted(args.first.glob("*.json"))]
    seconds = {p.name: json.loads(p.read_text("utf-8")) for p in sorted(args.second.glob("*.json"))}
    pairs = [(a, seconds[f"{a['id']}.json"]) for a in firsts]
    print_summary(
        "agreement: first as gold, second as predictions", score([a for a, _ in pairs], [b for _, b in pairs])
    )
    print_summary(
        "agreement: second as gold, first as predictions", score([b for _, b in pairs], [a for a, _ in pairs])
    )
    for first, second in pairs:
        merged = merge_article(first, second)
        (args.out / f"{first['id']}.json").write_text(
            json.dumps(merged, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
    print(f"wrote {len(pairs)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
