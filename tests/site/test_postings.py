"""The compressed document sets behind search: exact against Python sets, in both encodings."""

from __future__ import annotations

import random

from govkg import postings


def docset(ids: list[int]) -> postings.DocSet:
    return {c: postings.decode(postings.encode(offs), len(offs)) for c, offs in postings.chunks(ids)}


def test_sets_agree_with_python_sets() -> None:
    rng = random.Random(3)
    for size in (1, 10, 3000, 50_000, 200_000):  # sparse chunks (offsets) and dense ones (bitmaps)
        a_ids = sorted(rng.sample(range(1, 300_000), size))
        b_ids = sorted(rng.sample(range(1, 300_000), 40_000))
        a, b = docset(a_ids), docset(b_ids)
        assert postings.count(a) == size
        both = sorted(set(a_ids) & set(b_ids))
        assert postings.members(postings.intersect(a, b), 0, 10**6) == both
        assert postings.overlap(a, b) == len(both)
        assert postings.members(postings.union([a, b]), 0, 10**6) == sorted(set(a_ids) | set(b_ids))
        k = rng.randrange(size)
        assert postings.members(a, k, 25) == a_ids[k:k + 25]
