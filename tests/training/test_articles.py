"""The project's own annotated articles (`tests/data/articles`) and how two annotations become one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

ARTICLES = sorted((REPO / "tests" / "data" / "articles").glob("*.json"))
SCORER = REPO.parent / "shared" / "eval" / "score.py"
TYPES = {"direct_quote", "indirect_quote", "mixed_quote"}
STANCES = {"favor", "against", "neutral"}


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_an_own_article_is_a_gold_file_of_its_own_text(path: Path) -> None:
    article = json.loads(path.read_text("utf-8"))
    assert article["id"] == path.stem and article["outlet"].startswith("own")
    text = f"{article['title']}\n{article['text']}"
    required = [c for c in article["claims"] if not c["optional"]]
    assert required, "an article without a required claim scores nothing"
    for claim in article["claims"]:
        assert claim["type"] in TYPES and claim["speaker"]["name"] and claim["cue"]
        for part in claim["text"].split(" ... "):
            assert part.strip() in text, f"not in the article: {part!r}"
        for target in claim["targets"]:
            assert target["stance"] in STANCES and target["name"]


def annotation(*claims: dict[str, Any]) -> dict[str, Any]:
    return {"id": "t", "text": "", "claims": list(claims)}


def claim(text: str, speaker: str, targets: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "indirect_quote",
        "text": text,
        "speaker": {"name": speaker, "type": "person", "aliases": [speaker]},
        "cue": "say",
        "targets": [{"name": n, "aliases": [n], "stance": s} for n, s in targets],
        "date": None,
        "optional": False,
    }


@pytest.mark.skipif(
    not SCORER.exists(), reason="the scorer (shared/eval/score.py) is not beside this checkout"
)
def test_what_only_one_annotator_gave_is_optional() -> None:
    from adjudicate import merge_article

    first = annotation(
        claim(
            "the council failed the residents of the valley",
            "Ann Lee",
            [("council", "against"), ("residents", "neutral")],
        ),
        claim("the bridge will reopen in May", "Ann Lee", []),
    )
    second = annotation(
        claim(
            "the council failed the residents of the valley",
            "Ann Lee",
            [("council", "against"), ("residents", "favor")],
        ),
        claim("prices will rise", "Tom Orr", [("Tom Orr", "neutral")]),
    )
    merged = {c["text"]: c for c in merge_article(first, second)["claims"]}
    both = merged["the council failed the residents of the valley"]
    assert not both["optional"]
    assert {t["name"]: t["optional"] for t in both["targets"]} == {"council": False, "residents": True}
    assert merged["the bridge will reopen in May"]["optional"]
    assert merged["prices will rise"]["optional"]
