"""Load RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) into the store.

One call is one transaction: every file is parsed completely first, and if any of them
is bad nothing is stored and the error names the file, line and problem.  Each file
becomes one named graph (``graph/source/<file stem>`` unless given), replacing what an
earlier load of the same source put there; quads that a dataset syntax places in named
graphs of their own keep them.  Every load is recorded in the sources graph as a
``prov:Activity`` (see :mod:`loaders.sources`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from govkg.errors import InputError
from govkg.rdfio import Parsed, format_for, parse_document, read_file
from govkg.sparql_text import is_absolute_iri
from govkg.store.base import Store
from govkg.vocab import graph_iri
from loaders.sources import record_load


@dataclass
class LoadReport:
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI -> quads loaded
    errors: list[InputError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.graphs.values())


def source_graph_for(path: Path) -> ox.NamedNode:
    stem = path.name.split(".")[0] or "unnamed"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower() or "unnamed"
    return ox.NamedNode(str(graph_iri("source", slug)))


def parse_file(
    path: Path, *, graph: ox.NamedNode | None = None, fmt: str | None = None, base_iri: str | None = None
) -> Parsed:
    path = Path(path)
    data = read_file(path)
    rdf_format = format_for(fmt, path=path)
    return parse_document(
        data,
        rdf_format,
        source=str(path),
        graph=graph or source_graph_for(path),
        base_iri=base_iri or path.resolve().as_uri(),
    )


def load_files(
    store: Store,
    paths: Sequence[Path],
    *,
    graph: str | None = None,
    fmt: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Parse every file, then store them all in one transaction, or none if any is bad."""
    report = LoadReport()
    parsed: list[tuple[Path, Parsed]] = []
    if graph and not is_absolute_iri(graph):
        raise InputError(f"the graph must be an absolute IRI, not {graph!r}", source="--graph")
    target = ox.NamedNode(graph) if graph else None
    for path in paths:
        try:
            parsed.append((Path(path), parse_file(Path(path), graph=target, fmt=fmt)))
        except InputError as e:
            report.errors.append(e)
        if progress:
            progress(1)
    if report.errors:
        return report
    if target is None:
        seen: dict[str, Path] = {}
        for path, _ in parsed:
            g = source_graph_for(path).value
            if g in seen:
                report.errors.append(
                    InputError(f"would load into the same graph <{g}> as {seen[g]}; give --graph", source=str(path))
                )
            seen[g] = path
        if report.errors:
            return report
    with store.transaction() as tx:
        replaced: set[ox.NamedNode] = set()
        for path, p in parsed:
            graphs = {q.graph_name for q in p.quads}
            for g in graphs - replaced:
                tx.drop_graph(g)  # type: ignore[arg-type]
            replaced |= graphs  # type: ignore[arg-type]
            tx.add(p.quads)
            for g in graphs:
                n = sum(1 for q in p.quads if q.graph_name == g)
                report.graphs[g.value] = report.graphs.get(g.value, 0) + n  # type: ignore[union-attr]
                record_load(tx, graph=g, source=path.resolve().as_uri(), triples=n)  # type: ignore[arg-type]
    return report
