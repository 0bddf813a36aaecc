"""How job items are cut into broker messages: small jobs spread over workers, large ones queue fast."""

from __future__ import annotations

import pytest

from app.jobs.dispatch import PROCESS_ITEMS, items_message, message_chunks


@pytest.mark.parametrize(
    ("items", "messages", "largest"),
    [(1, 1, 1), (200, 200, 1), (201, 101, 2), (10_000, 200, 50), (20_000, 400, 50)],
)
def test_items_per_message(items: int, messages: int, largest: int) -> None:
    ids = list(range(items))

    chunks = message_chunks(ids)

    assert (len(chunks), max(len(c) for c in chunks)) == (messages, largest)
    assert [i for chunk in chunks for i in chunk] == ids


def test_a_message_names_the_worker_actor_and_its_items() -> None:
    message = items_message("claims-jobs", [4, 5])

    assert (message.queue_name, message.actor_name, message.args) == ("claims-jobs", PROCESS_ITEMS, ([4, 5],))
