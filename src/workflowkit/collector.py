"""Pausing Python's cyclic garbage collector around work that builds many objects.

Loading a large export, or building the report of a large practice, makes hundreds of
thousands of small objects and frees none of them until the end. None of them form
reference cycles, so the cyclic collector only rescans a growing heap, again and again
(a third of the time, measured). :func:`collector_paused` turns it off for such a step
and puts it back as it was after, also when the step raises, so an app that embeds
workflowkit keeps its own setting.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) and restore it after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
