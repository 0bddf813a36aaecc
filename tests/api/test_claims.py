"""`/v1/claims` end to end on the stored seed article: each filter returns exactly the claims it describes.

The expected claims are worked out from the pipeline's own output (names, aliases, stances, dates),
so the tests pin the filters' meaning without pinning what the model happens to find.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from app.core.config import Settings
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import Claim
from app.services.entities import PRONOUN_SPELLINGS
from tests.api.conftest import assert_problem, started_client
from tests.conftest import Racer

MAX_WORDS = Settings.model_fields["search_max_words"].default
MAX_CHARS = Settings.model_fields["search_max_chars"].default


@pytest.fixture
def seed(
    client: TestClient, posted_seed: dict[str, Any], claim_extractor: ClaimExtractor, seed_text: str
) -> Any:
    """The stored seed claims, each beside the extracted claim it came from."""
    extracted = claim_extractor.extract(seed_text, None).claims
    assert len(extracted) == len(posted_seed["claims"]) > 3
    return list(zip(posted_seed["claims"], extracted, strict=True))


def _ids(client: TestClient, **params: Any) -> list[int]:
    body = client.get("/v1/claims", params={"limit": 100, **params}).json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


def _spellings(name: str, mention: str, aliases: Iterable[str]) -> set[str]:
    return {s.lower() for s in (name, mention, *aliases) if s not in PRONOUN_SPELLINGS}


def _entity_spellings(seed: list[tuple[dict[str, Any], Claim]]) -> dict[tuple[str, str], set[str]]:
    """Every spelling stored for each entity (name and type), over all the claims that name it."""
    found: dict[tuple[str, str], set[str]] = {}
    for _, claim in seed:
        people = [(claim.speaker.name, claim.speaker.type, claim.speaker.mention, claim.speaker.aliases)]
        people += [(t.name, t.type, t.mention, t.aliases) for t in claim.targets]
        for name, type_, mention, aliases in people:
            found.setdefault((name.lower(), type_), set()).update(_spellings(name, mention, aliases))
    return found


def test_speaker_matches_any_alias_in_any_case(
    client: TestClient, seed: list[tuple[dict[str, Any], Claim]]
) -> None:
    spellings = _entity_spellings(seed)
    speaker = next(c.speaker for _, c in seed if len(set(map(str.lower, c.speaker.aliases))) > 1)
    alias = next(a for a in speaker.aliases if a.lower() != speaker.name.lower())
    named = {key for key, seen in spellings.items() if alias.lower() in seen}
    expected = [s["id"] for s, c in seed if (c.speaker.name.lower(), c.speaker.type) in named]

    assert _ids(client, speaker=alias.swapcase()) == expected != []
    assert _ids(client, speaker=speaker.name.upper()) == [
        s["id"]
        for s, c in seed
        if (c.speaker.name.lower(), c.speaker.type) == (speaker.name.lower(), speaker.type)
    ]
    assert _ids(client, speaker="nobody at all") == []


def test_target_with_stance_matches_the_same_target(
    client: TestClient, seed: list[tuple[dict[str, Any], Claim]]
) -> None:
    spellings = _entity_spellings(seed)
    target = next(t for _, c in seed for t in c.targets if len(set(map(str.lower, t.aliases))) > 1)
    alias = next(a for a in target.aliases if a.lower() != target.name.lower())
    named = {key for key, seen in spellings.items() if alias.lower() in seen}

    def about(claim: Claim, stance: str | None = None) -> bool:
        return any((t.name.lower(), t.type) in named and stance in (None, t.stance) for t in claim.targets)

    assert _ids(client, target=alias.upper()) == [s["id"] for s, c in seed if about(c)] != []
    for stance in ("favor", "against", "neutral"):
        assert _ids(client, target=alias.lower(), stance=stance) == [
            s["id"] for s, c in seed if about(c, stance)
        ]


def test_date_range_is_inclusive(client: TestClient, seed: list[tuple[dict[str, Any], Claim]]) -> None:
    days = sorted({s["date"]["value"] for s, _ in seed if s["date"]["value"]})
    assert days, "the seed has dated claims"
    first, last = days[0], days[-1]

    assert _ids(client, date_from=first, date_to=first) == [
        s["id"] for s, _ in seed if s["date"]["value"] == first
    ]
    assert _ids(client, date_from=last) == [s["id"] for s, _ in seed if (s["date"]["value"] or "") >= last]
    assert _ids(client, date_to=first) == [
        s["id"] for s, _ in seed if s["date"]["value"] and s["date"]["value"] <= first
    ]


def test_type_filter(client: TestClient, seed: list[tuple[dict[str, Any], Claim]]) -> None:
    for type_ in ("direct_quote", "indirect_quote", "mixed_quote"):
        assert _ids(client, type=type_) == [s["id"] for s, _ in seed if s["type"] == type_]


def _begins_a_word(word: str, text: str) -> bool:
    return any(w.startswith(word.lower()) for w in re.findall(r"[^\W_]+", text.lower()))


def test_q_needs_all_words_in_any_case(client: TestClient, seed: list[tuple[dict[str, Any], Claim]]) -> None:
    text = seed[1][0]["text"]
    words = re.findall(r"[A-Za-z]{4,}", text)[:2]
    assert len(words) == 2

    expected = {s["id"] for s, _ in seed if all(_begins_a_word(w, s["text"]) for w in words)}
    assert set(_ids(client, q=" ".join(w.upper() for w in words))) == expected  # best match first
    assert seed[1][0]["id"] in expected
    assert _ids(client, q=f"{words[0]} zzzznotaword") == []


@pytest.fixture
def statements(client: TestClient) -> Iterator[list[str]]:
    """The SQL statements the app sends while the test runs."""
    sent: list[str] = []
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


# (q, its problem's message, or None: searched); the default limits are 32 words and 500 characters.
LIMITS = [
    (" ".join(["word"] * MAX_WORDS), None),
    (" ".join(["word"] * (MAX_WORDS + 1)), f"at most {MAX_WORDS} words, not {MAX_WORDS + 1}"),
    ("-".join(["w"] * (MAX_WORDS + 1)), f"at most {MAX_WORDS} words, not {MAX_WORDS + 1}"),  # one "token"
    ("x" * MAX_CHARS, None),
    ("!" * MAX_CHARS, None),
    ("x" * (MAX_CHARS + 1), f"at most {MAX_CHARS} characters, not {MAX_CHARS + 1}"),
    (" " * (MAX_CHARS + 1), f"at most {MAX_CHARS} characters, not {MAX_CHARS + 1}"),
    (" ".join(["word"] * 3000), f"at most {MAX_CHARS} characters, not 14999"),
]


def test_q_beyond_the_limits_is_refused_before_any_query_and_at_them_searched(
    client: TestClient, statements: list[str]
) -> None:
    for q, refused in LIMITS:
        statements.clear()
        response = client.get("/v1/claims", params={"q": q})
        if refused is None:
            assert response.status_code == 200, response.text
            continue
        body = assert_problem(response, 422, "validation")
        assert [(e["loc"], e["msg"]) for e in body["errors"]] == [
            (["query", "q"], f"q should have {refused}")
        ]
        assert statements == []  # refused at once: the database never saw it


def test_a_thousand_words_are_a_validation_problem_not_an_outage(client: TestClient) -> None:
    """SQLite could not run 1,000 `LIKE`s at once, and said "database unavailable" (503)."""
    response = client.get("/v1/claims", params={"q": " ".join(["a"] * 1000), "limit": 1})

    assert_problem(response, 422, "validation")


def test_a_thousand_words_within_raised_limits_are_searched(
    database_url: str, engine: Engine, claim_extractor: ClaimExtractor
) -> None:
    limits = {"search_max_words": 2000, "search_max_chars": 10_000}
    with started_client(database_url, claim_extractor, **limits) as client:
        posted = client.post("/v1/articles", json={"text": 'Ali Khan said "the bridge will open in May."'})
        many = " ".join(["bridge", "open"] * 500)

        response = client.get("/v1/claims", params={"q": many})

    assert response.status_code == 200, response.text
    assert [i["id"] for i in response.json()["items"]] == [c["id"] for c in posted.json()["claims"]]


# What a search box sends when a user pastes code, a query language, or odd Unicode.
ODD_Q = [
    '"',
    "'",
    "''",
    "*",
    "-",
    ":",
    "(",
    ")",
    "\\",
    "NEAR(a b)",
    "NEAR/2",
    "a NOT b",
    "a OR b",
    "^a",
    "a:*",
    "a & !b | c",
    "a <-> b",
    "a <2> b",
    "text:a",
    "{a b}: c",
    '"a" AND "',
    "a' OR '1'='1",
    "'; DROP TABLE claims; --",
    "%_%",
    "\u200b",
    "\u0301a",
    "\U0001f600",
    "東京",
    "שלום עולם",
    "x" * (MAX_CHARS // 3),
    "9" * (MAX_CHARS // 3),
]


def test_odd_q_gives_results_or_an_empty_page_never_an_error(
    client: TestClient, seed: list[tuple[dict[str, Any], Claim]]
) -> None:
    word = re.findall(r"[A-Za-z]{4,}", seed[0][0]["text"])[0]
    for odd in ODD_Q:
        alone = client.get("/v1/claims", params={"q": odd})
        wrapped = client.get("/v1/claims", params={"q": f"{odd}{word}{odd}"})
        assert (alone.status_code, wrapped.status_code) == (200, 200), (odd, alone.text, wrapped.text)
        if not re.search(r"[^\W_]", odd):  # no word of its own: the word it wraps is found
            assert seed[0][0]["id"] in [i["id"] for i in wrapped.json()["items"]], odd


def test_article_filter_and_paging(client: TestClient, seed: list[tuple[dict[str, Any], Claim]]) -> None:
    other = client.post("/v1/articles", json={"text": 'Ali Khan said "the bridge will open in May."'}).json()
    seed_id = seed[0][0]["article_id"]

    assert _ids(client, article_id=seed_id) == [s["id"] for s, _ in seed]
    assert _ids(client, article_id=other["id"]) == [c["id"] for c in other["claims"]]
    everything = _ids(client)
    assert everything == [c["id"] for c in other["claims"]] + [
        s["id"] for s, _ in seed
    ]  # newest article first
    pages = [
        client.get("/v1/claims", params={"limit": 3, "offset": o}).json()
        for o in range(0, len(everything), 3)
    ]
    assert all(p["total"] == len(everything) and p["limit"] == 3 for p in pages)
    assert [i["id"] for p in pages for i in p["items"]] == everything


def test_get_one_claim(client: TestClient, seed: list[tuple[dict[str, Any], Claim]]) -> None:
    stored, _ = seed[2]
    response = client.get(f"/v1/claims/{stored['id']}")

    assert response.status_code == 200 and response.json() == stored


def test_a_search_the_database_cancels_for_taking_too_long_is_a_query_timeout_problem(
    backend: str, database_url: str, engine: Engine, claim_extractor: ClaimExtractor
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has no statement timeout: it runs in the process, for this request alone")
    with (
        started_client(database_url, claim_extractor, db_statement_timeout_ms=100) as client,
        engine.connect() as other,
    ):
        other.execute(text("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE"))  # the search waits past its timeout
        try:
            search = Racer(lambda: client.get("/v1/claims", params={"q": "bridge"}))
            response = search.result(seconds=30)
        finally:
            other.rollback()

    body = assert_problem(response, 503, "query-timeout")
    assert "narrow the search" in body["detail"] and response.headers["Retry-After"]
