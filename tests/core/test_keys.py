"""Operators hash keys with `python -m app.core.keys`; only those hashes are configured and compared."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys

import pytest

from app.core.keys import hash_key, main, matching_hash


def test_the_cli_prints_the_sha256_of_the_key() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "app.core.keys", "s3cret"], capture_output=True, text=True, check=True
    )

    assert run.stdout.strip() == hashlib.sha256(b"s3cret").hexdigest()


def test_the_key_may_come_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret\n"))

    assert main([]) == 0
    assert capsys.readouterr().out.strip() == hash_key("s3cret")


def test_matching_hash_names_the_configured_hash_or_none() -> None:
    hashes = [hash_key("a"), hash_key("b")]

    assert matching_hash("b", hashes) == hashes[1]
    assert matching_hash("c", hashes) is None
    assert matching_hash(hashes[0], hashes) is None  # the hash itself is not a key
