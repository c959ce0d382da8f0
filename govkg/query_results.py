"""Serialising query results with a hard cap: over the cap is an error, never a truncated answer.

SELECT results are first written as SPARQL TSV by pyoxigraph's own serializer into a writer
that counts lines: TSV escapes newlines inside terms, so every line after the header is
exactly one solution, and the writer stops the serializer (by raising) as soon as the cap
is passed, before the rest of the result is computed.  TSV is lossless (every term keeps
its exact form), so other formats are produced by parsing the TSV back and serialising it
again, all in native code.  CONSTRUCT and DESCRIBE triples pass through Python anyway
(original literal forms are restored there, see govkg.store.literals), so they are counted
on the way.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from govkg.errors import GovkgError, ResultTooLarge
from govkg.output import RDF_FORMATS, RESULT_FORMATS
from govkg.store.literals import LiteralRestorer
from govkg.vocab import PREFIXES

ASK_FORMATS = ("json", "xml")
SELECT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("ttl", "nt", "nq", "trig", "rdf", "jsonld")


class NotAcceptable(GovkgError):
    def __init__(self, form: str, offered: Iterable[str]) -> None:
        super().__init__(
            f"no acceptable format for {form} results; available: {', '.join(offered)}",
            exit_code=2,
            http_status=406,
        )


class _LineCap(io.RawIOBase):
    """A binary sink that raises ResultTooLarge once it has seen more than ``limit`` lines."""

    def __init__(self, limit: int, max_results: int, what: str) -> None:
        super().__init__()
        self._limit = limit
        self._max = max_results
        self._what = what
        self.lines = 0
        self._buf = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        data = bytes(b)
        self.lines += data.count(b"\n")
        if self.lines > self._limit:
            raise ResultTooLarge(self._max, self._what)
        return self._buf.write(data)

    def getvalue(self) -> bytes:
        return self._buf.getvalue()


def serialize_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> tuple[bytes, int]:
    """SELECT solutions in ``fmt`` (json, xml, csv, tsv); raises ResultTooLarge over ``max_rows``."""
    sink = _LineCap(max_rows + 1, max_rows, "solutions")  # + the header line
    solutions.serialize(sink, ox.QueryResultsFormat.TSV)
    tsv = sink.getvalue()
    rows = max(sink.lines - 1, 0)
    if fmt == "tsv":
        return tsv, rows
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    out = io.BytesIO()
    parsed.serialize(out, RESULT_FORMATS[fmt])
    return out.getvalue(), rows


def serialize_boolean(result: ox.QueryBoolean, fmt: str) -> bytes:
    out = io.BytesIO()
    result.serialize(out, RESULT_FORMATS[fmt])
    return out.getvalue()


def restored(triples: Iterable[ox.Triple], restorer: LiteralRestorer | None) -> Iterator[ox.Triple]:
    for t in triples:
        if restorer is not None and type(t.object) is ox.Literal:
            o = restorer.restore(t.subject, t.predicate, t.object)
            if o is not t.object:
                t = ox.Triple(t.subject, t.predicate, o)  # type: ignore[arg-type]
        yield t


def serialize_triples(triples: Iterable[ox.Triple], fmt: str, max_triples: int) -> tuple[bytes, int]:
    """Triples in an RDF syntax; raises ResultTooLarge over ``max_triples``."""
    count = 0

    def capped() -> Iterator[ox.Triple]:
        nonlocal count
        for t in triples:
            count += 1
            if count > max_triples:
                raise ResultTooLarge(max_triples, "triples")
            yield t

    rdf = RDF_FORMATS[fmt]
    out = io.BytesIO()
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    ox.serialize(capped(), out, rdf, prefixes=prefixes)
    return out.getvalue(), count
