"""Buffered N-Quads output plus the bookkeeping of planted violations and decoys."""

from __future__ import annotations

from typing import TextIO

from govkg.store.literals import nquads_entry

from .manifest import Manifest
from .terms import DCAT_BYTE_SIZE, XSD

_FLUSH_AT = 4096


class Writer:
    """Writes lines into one named graph; records (rule, focus) judgements.

    ``judge`` is the single place that decides whether a violation is *planted* (the
    rule applies where the resource is) or a *decoy* (the rule belongs to another
    jurisdiction), so the manifest is derived from what was written, not from intent.
    """

    def __init__(self, out: TextIO, graph: str, manifest: Manifest) -> None:
        self.out = out
        self.graph = graph
        self.g = f" <{graph}> .\n"  # line suffix: graph term and terminator
        self.buf: list[str] = []
        self.entries_pending = 0
        self.manifest = manifest
        self._planted = manifest.planted
        self._decoys = manifest.decoys
        self._seen_fixed: set[tuple[str, str]] = set()

    def t(self, s: str, p: str, o: str) -> None:
        self.buf.append(f"{s} {p} {o}{self.g}")
        if len(self.buf) > _FLUSH_AT:
            self.flush()

    def byte_size(self, s: str, size: int) -> None:
        """``s dcat:byteSize size`` typed xsd:nonNegativeInteger, with its literal-form entry."""
        self.buf.append(f'{s} {DCAT_BYTE_SIZE} "{size}"^^<{XSD}nonNegativeInteger>{self.g}')
        self.buf.append(
            nquads_entry(self.graph, s, DCAT_BYTE_SIZE, f'"{size}"^^<{XSD}integer>', str(size),
                         XSD + "nonNegativeInteger")
        )
        self.entries_pending += 1

    def flush(self) -> None:
        """Write the buffer.  Its elements are whole lines, one or several each: lines are
        counted here, on the joined text (N-Triples escapes every newline in a literal)."""
        m = self.manifest
        text = "".join(self.buf)
        m.triples += text.count("\n") - 3 * self.entries_pending
        m.literal_form_entries += self.entries_pending
        self.out.write(text)
        self.buf.clear()
        self.entries_pending = 0

    def close(self) -> None:
        self.flush()
        self.manifest.quads = self.manifest.triples + 3 * self.manifest.literal_form_entries

    # -- judgements ------------------------------------------------------------------
    def judge(self, family: str, scope: str | None, focus: str, top: str | None) -> str | None:
        """Record that ``focus`` breaks rule ``family`` as applied in ``scope``.

        ``scope`` is the jurisdiction the rule belongs to (None: every jurisdiction);
        ``top`` the jurisdiction the resource is under.  Returns the rule id when the
        violation is planted, None when it is a decoy.  ``focus`` is an N-Triples IRI.
        """
        rule = family if scope is None else f"{family}-{scope}"
        pair = (rule, focus[1:-1])
        if scope is None or scope == top:
            self._planted.append(pair)
            return rule
        self._decoys.append(pair)
        return None

    def judge_once(self, family: str, scope: str | None, focus: str, top: str | None) -> str | None:
        """As :meth:`judge`, for foci (catalogues) that several datasets may break."""
        rule = family if scope is None else f"{family}-{scope}"
        if (rule, focus) in self._seen_fixed:
            return rule if (scope is None or scope == top) else None
        self._seen_fixed.add((rule, focus))
        return self.judge(family, scope, focus, top)
