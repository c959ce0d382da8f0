"""Exclusive ``flock`` locks on lock files, between the processes that share a store.

A lock file is created (mode 0644) if missing and never removed; the lock goes with the
file descriptor, so it is released when the holder closes it or dies.  :func:`hold_lock`
waits for the lock (one index builder at a time, one store writer); :func:`try_lock` takes
it only if nobody holds it (tidying up and collecting old generations, which can wait for
another time).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def hold_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock on ``path``, waiting for it as long as it takes."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Take the exclusive lock on ``path`` if it is free; yields whether it was taken.

    A lock file that cannot be opened (a read-only store, a directory that is gone) counts
    as a lock not taken."""
    fd: int | None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        fd = None
    if fd is None:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = True
        except BlockingIOError:
            taken = False
        yield taken
    finally:
        os.close(fd)
