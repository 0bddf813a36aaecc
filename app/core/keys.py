"""API keys are configured as SHA-256 digests, never in plaintext; this hashes and checks them.

Run `python -m app.core.keys KEY` (or pipe the key on stdin, to keep it out of the shell history)
to print the digest an operator puts in `CLAIMS_API_KEY_HASHES`.
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from collections.abc import Iterable


def hash_key(key: str) -> str:
    """The SHA-256 hex digest of a key, as configured."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def matching_hash(key: str, hashes: Iterable[str]) -> str | None:
    """The configured hash this key has, compared in constant time against every hash (no early exit)."""
    digest = hash_key(key)
    found = None
    for candidate in hashes:
        if hmac.compare_digest(digest, candidate):
            found = candidate
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the hash of the key given as argument, or read from stdin."""
    args = sys.argv[1:] if argv is None else argv
    key = args[0] if args else sys.stdin.readline().rstrip("\r\n")
    if not key:
        print("usage: python -m app.core.keys KEY  (or the key on stdin)", file=sys.stderr)
        return 2
    print(hash_key(key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
