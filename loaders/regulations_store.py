"""Store regulation texts: each file's articles go into the regulation's own named graph
(``graph/legislation/<key>``), replacing an earlier load of the same regulation, with the
load recorded in the sources graph.  All files are parsed before anything is stored."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from govkg.errors import InputError
from govkg.rdfterms import from_rdflib_graph
from govkg.store.base import Store
from govkg.vocab import ELI as ELI_NS
from govkg.vocab import graph_iri
from loaders.regulations import RegulationTextError, guess_key, regulation_graph
from loaders.sources import record_load


def load_regulation_texts(store: Store, paths: Sequence[Path]) -> int:
    parsed = []
    for path in paths:
        try:
            key = guess_key(Path(path))
            parsed.append((Path(path), key, regulation_graph(Path(path), key)))
        except RegulationTextError:
            raise  # already an InputError naming the file
        except OSError as e:
            raise InputError(e.strerror or str(e), source=str(path)) from None
    articles = 0
    with store.transaction() as tx:
        for path, key, g in parsed:
            target = ox.NamedNode(str(graph_iri("legislation", key)))
            n = tx.replace_graph(target, from_rdflib_graph(g, target))
            record_load(tx, graph=target, source=path.resolve().as_uri(), triples=n)
            articles += sum(1 for _ in g.subjects(RDF.type, ELI_NS.LegalResourceSubdivision))
    return articles
