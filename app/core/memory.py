"""Keep the garbage collector off the objects a process makes at start-up.

A full (generation 2) collection walks every tracked object. The server's imports and pools, and a
worker's spaCy pipeline, are millions of objects that live as long as the process, so each full
collection paused every thread, the event loop included, for 60 to 100 ms under load (measured with
`gc.callbacks` while `benchmarks/load.py` ran: `/healthz` p99 56 ms before, 26 ms after).
"""

from __future__ import annotations

import gc


def freeze_long_lived_objects() -> None:
    """Collect once, then move everything that survives out of the collector's reach (`gc.freeze`)."""
    gc.collect()
    gc.freeze()
