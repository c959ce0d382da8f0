"""Compressed document sets for the search index: chunked bitmaps held as Python integers.

A set of document ids (small positive integers, dense from 1) is a dict ``chunk -> int``:
chunk ``c`` holds ids ``c * CHUNK .. c * CHUNK + CHUNK - 1``, bit ``i`` of its integer is id
``c * CHUNK + i``, and empty chunks are absent.  Intersections, unions and counts are then a
few big-integer operations per chunk (``&``, ``|``, ``int.bit_count``), done in C: counting a
result set of a million documents against a facet value costs microseconds, where the same
count in SQL walks a million index entries.  (Roaring bitmaps, without the dependency.)

On disk (the ``postings`` table of a search index) a chunk with fewer than ``ARRAY_MAX``
members is stored as its sorted 16-bit offsets, a denser one as its little-endian bitmap.
"""

from __future__ import annotations

import array
import sys
from collections.abc import Iterable, Iterator

CHUNK_BITS = 16
CHUNK = 1 << CHUNK_BITS
ARRAY_MAX = CHUNK // 16  # below this many members, 2-byte offsets are smaller than the 8 KiB bitmap

DocSet = dict[int, int]


def encode(offsets: list[int]) -> bytes:
    """One chunk's sorted offsets as stored."""
    if len(offsets) < ARRAY_MAX:
        a = array.array("H", offsets)
        if sys.byteorder != "little":
            a.byteswap()
        return a.tobytes()
    bits = bytearray(CHUNK // 8)
    for x in offsets:
        bits[x >> 3] |= 1 << (x & 7)
    return bytes(bits).rstrip(b"\0")


def decode(data: bytes, n: int) -> int:
    """A stored chunk (``n`` members) as its bitmap integer."""
    if n >= ARRAY_MAX:
        return int.from_bytes(data, "little")
    a = array.array("H")
    a.frombytes(data)
    if sys.byteorder != "little":
        a.byteswap()
    bits = bytearray(CHUNK // 8)
    for x in a:
        bits[x >> 3] |= 1 << (x & 7)
    return int.from_bytes(bits, "little")


def chunks(ids: Iterable[int]) -> Iterator[tuple[int, list[int]]]:
    """Ascending ids grouped by chunk: (chunk, offsets)."""
    current, offsets = -1, []
    for i in ids:
        c = i >> CHUNK_BITS
        if c != current:
            if offsets:
                yield current, offsets
            current, offsets = c, []
        offsets.append(i & (CHUNK - 1))
    if offsets:
        yield current, offsets


def count(s: DocSet) -> int:
    return sum(b.bit_count() for b in s.values())


def intersect(a: DocSet, b: DocSet) -> DocSet:
    if len(b) < len(a):
        a, b = b, a
    out = {}
    for c, x in a.items():
        y = b.get(c)
        if y is not None:
            z = x & y
            if z:
                out[c] = z
    return out


def union(sets: Iterable[DocSet]) -> DocSet:
    out: DocSet = {}
    for s in sets:
        for c, x in s.items():
            out[c] = out.get(c, 0) | x
    return out


def overlap(a: DocSet, b: DocSet) -> int:
    """``count(intersect(a, b))`` without building the intersection."""
    if len(b) < len(a):
        a, b = b, a
    n = 0
    for c, x in a.items():
        y = b.get(c)
        if y is not None:
            n += (x & y).bit_count()
    return n


def members(s: DocSet, offset: int, limit: int) -> list[int]:
    """Ids ``offset .. offset + limit - 1`` of ``s`` in ascending order."""
    out: list[int] = []
    if limit <= 0:
        return out
    for c in sorted(s):
        x = s[c]
        n = x.bit_count()
        if offset >= n:
            offset -= n
            continue
        bits = bin(x)[:1:-1]  # bit 0 first
        pos = -1
        for _ in range(offset):
            pos = bits.find("1", pos + 1)
        offset = 0
        while len(out) < limit:
            pos = bits.find("1", pos + 1)
            if pos < 0:
                break
            out.append((c << CHUNK_BITS) + pos)
        if len(out) >= limit:
            break
    return out
