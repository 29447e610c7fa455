"""One piece of the report's work done in a child process while the parent reads the store.

:func:`workflowkit.report.collect.collect` plans the window (a year of a large practice
is a few hundred thousand occurrences) and reads the store (every instance's state, the
events of the ones whose status needs them). The two need nothing of each other, and
each takes about a second for 10,000 clients; the report needs the plan only as a few
thousand counts and the ids of the occurrences due to have started
(:class:`~workflowkit.report.build.PlanPart`), which are cheap to send back. So on a
machine with a second core the plan is made in a forked child while the parent reads.

The child inherits everything by ``fork`` (nothing is pickled on the way in), computes,
sends back the pickled result through a pipe and leaves with ``os._exit`` (no cleanup
of the parent's open files or connections runs in it). It is forked only where that is
safe: ``fork`` exists, this process runs one thread, and the machine gives it two cores
or more. Otherwise, or when the child fails for any reason, the work is done in this
process, so the result, and any error it raises, is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child process may be forked here (see the module's docstring)."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2


class Apart(Generic[T]):
    """``work()`` run in a forked child (when ``fork`` is true), its result fetched by
    :meth:`result`; without a child, :meth:`result` runs it in this process."""

    def __init__(self, work: Callable[[], T], *, fork: bool) -> None:
        self._work = work
        self._pid: int | None = None
        self._read: int | None = None
        if not fork:
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
            os.close(read)
            status = 1
            try:
                payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write, view) :]
                status = 0
            except BaseException:  # any failure: the parent does the work itself
                pass
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The work's result: the child's, else computed here (raising what it raises)."""
        if self._pid is None or self._read is None:
            return self._work()
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self._read, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._read)
            _, status = os.waitpid(self._pid, 0)
            self._pid = self._read = None
        if status == 0 and chunks:
            try:
                value: T = pickle.loads(b"".join(chunks))
            except Exception:  # a result that does not come back whole: do it here
                return self._work()
            return value
        return self._work()

    def __enter__(self) -> Apart[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        """Reap the child if :meth:`result` was never called (an error in the parent)."""
        if self._pid is not None and self._read is not None:
            os.close(self._read)
            with contextlib.suppress(OSError):  # it may have exited already
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = self._read = None
