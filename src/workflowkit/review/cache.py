"""Bounded identity caches shared by the review engine's hot path."""

from __future__ import annotations

import contextlib
from typing import Any


def evict_one(cache: dict[Any, Any]) -> None:
    """Drop the oldest entry of ``cache``.

    Safe when other threads read and fill the same cache at the same time: a concurrent
    change while looking for the oldest key, or a key another thread already dropped,
    is not an error (the cache is only ever a shortcut).
    """
    with contextlib.suppress(StopIteration, RuntimeError):
        cache.pop(next(iter(cache)), None)
