"""Writing query results and dumps: streaming, with original literals restored."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

import pyoxigraph as ox

from govkg.store.base import Snapshot
from govkg.vocab import PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def write_result(snap: Snapshot, sparql: str, fmt: str, out: BinaryIO) -> None:
    """Run a query and write its result: a text table or a standard format."""
    res = snap.query(sparql)
    if isinstance(res, ox.QuerySolutions | ox.QueryBoolean):
        if fmt == "table":
            if isinstance(res, ox.QueryBoolean):
                out.write(b"true\n" if bool(res) else b"false\n")
                return
            names = [v.value for v in res.variables]
            rows = [[_cell(sol[n]) for n in names] for sol in res]
            widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
            out.write((" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)) + "\n").encode())
            out.write(("-+-".join("-" * w for w in widths) + "\n").encode())
            for r in rows:
                out.write((" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + "\n").encode())
            return
        res.serialize(out, RESULT_FORMATS.get(fmt, ox.QueryResultsFormat.JSON))
        return
    triples = snap.triples(sparql)
    rdf_fmt = RDF_FORMATS.get(fmt if fmt != "table" else "ttl", ox.RdfFormat.TURTLE)
    ox.serialize(triples, out, rdf_fmt, prefixes=PREFIXES if rdf_fmt == ox.RdfFormat.TURTLE else None)


def restored_quads(snap: Snapshot, graphs: Sequence[str] | None = None) -> Iterator[ox.Quad]:
    """Every quad of the public graphs (or the given ones), literals restored."""
    restorer = snap.restorer()
    names = [ox.NamedNode(g) for g in graphs] if graphs else snap.public_graphs()
    for g in names:
        for q in snap.quads(graph=g):
            o = restorer.restore(q.subject, q.predicate, q.object)
            yield q if o is q.object else ox.Quad(q.subject, q.predicate, o, g)  # type: ignore[arg-type]


def dump(snap: Snapshot, out: BinaryIO, fmt: str = "nq", graphs: Sequence[str] | None = None) -> int:
    """Stream a dump; returns the number of quads written."""
    count = 0

    def counted() -> Iterator[ox.Quad | ox.Triple]:
        nonlocal count
        triple_format = fmt in ("nt", "ttl")
        for q in restored_quads(snap, graphs):
            count += 1
            yield ox.Triple(q.subject, q.predicate, q.object) if triple_format else q

    rdf_fmt = RDF_FORMATS[fmt]
    prefixes = PREFIXES if rdf_fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    ox.serialize(counted(), out, rdf_fmt, prefixes=prefixes)
    return count
