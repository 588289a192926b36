"""Producing the items of an iteration in a thread of its own, ahead of the loop that takes them.

An import spends about half its time waiting for PostgreSQL to store a chunk (its indexes, its foreign keys). The
thread reads and converts the next chunk meanwhile: Python runs one thread at a time, but a thread waiting for the
database lets the other run."""

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connections

T = TypeVar("T")
_END = object()
# How often a producer waiting for room checks whether the loop has stopped taking items.
POLL_SECONDS = 0.1


def ahead(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """``items``, produced by a thread of their own up to ``depth`` items ahead of the loop taking them. An exception
    raised producing an item is raised where that item would have come; leaving the loop (a break, an exception, the
    iterator closed) stops the producer and waits for it. ``items`` should not query the database: the thread would
    have a connection of its own, outside the loop's transaction."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stopped = threading.Event()
    producer = threading.Thread(target=_produce, args=(items, handoff, stopped), name="ahead", daemon=True)
    producer.start()
    try:
        while True:
            item, error = handoff.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stopped.set()
        producer.join()


def _produce(items: Iterable, handoff: queue.Queue, stopped: threading.Event) -> None:
    iterator = iter(items)
    try:
        for item in iterator:
            if not _put(handoff, (item, None), stopped):
                return
        _put(handoff, (_END, None), stopped)
    except Exception as error:
        _put(handoff, (_END, error), stopped)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # a generator's open file is closed now, not when it is collected
        connections.close_all()  # this thread's own, should anything have opened one


def _put(handoff: queue.Queue, entry: tuple, stopped: threading.Event) -> bool:
    """Hand ``entry`` over once there is room; False (not handed over) when the loop has stopped meanwhile."""
    while not stopped.is_set():
        try:
            handoff.put(entry, timeout=POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
