"""Labels for IRIs, in the reader's language with a fallback to the other one.

A label is looked up through :data:`LABEL_PROPERTIES` in order of preference; among the
literals of the best property, the reader's language wins, then the other of zh/en, then an
untagged literal, then any.  With no label at all the IRI's last segment stands in.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from govkg.store.base import Snapshot

LANGS = ("zh", "en")

LABEL_PROPERTIES: tuple[str, ...] = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://data.europa.eu/eli/ontology#title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/ns/shacl#name",
    "http://www.w3.org/2006/vcard/ns#fn",
    "http://www.w3.org/ns/shacl#resultMessage",  # a validation finding reads as what it says
)


def fallback(iri: str) -> str:
    """The IRI's last path segment or fragment: a readable stand-in."""
    tail = iri.rstrip("/")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1] or tail
    return tail or iri


def pick(literals: Iterable[ox.Literal], lang: str) -> ox.Literal | None:
    """The literal in ``lang``, else in the other of zh/en, else untagged, else any."""
    best: tuple[int, ox.Literal] | None = None
    other = "en" if lang == "zh" else "zh"
    for lit in literals:
        tag = (lit.language or "").lower()
        rank = 0 if tag.startswith(lang) else 1 if tag.startswith(other) else 2 if not tag else 3
        if best is None or rank < best[0]:
            best = (rank, lit)
    return best[1] if best else None


class Labeller:
    """Resolves labels for many IRIs with one query per few hundred of them, caching."""

    def __init__(self, snap: Snapshot, lang: str) -> None:
        self.snap = snap
        self.lang = lang
        self._cache: dict[str, tuple[str, str | None]] = {}

    def prefetch(self, iris: Iterable[str]) -> None:
        todo = sorted({i for i in iris if i not in self._cache})
        props = [ox.NamedNode(p) for p in LABEL_PROPERTIES]
        for i in todo:
            # index lookups per subject and label property, in order of preference, up to the
            # first that has one: a SPARQL VALUES join makes Oxigraph scan the store, and all of
            # a subject's triples (a dataset has a hundred) cost ten times more than these seeks
            try:
                node = ox.NamedNode(i)
            except ValueError:
                self._cache[i] = (i, None)
                continue
            lit = None
            for p in props:
                found = [q.object for q in self.snap.quads(node, p, None, None) if isinstance(q.object, ox.Literal)]
                if found:
                    lit = pick(found, self.lang)
                    break
            self._cache[i] = (lit.value, lit.language) if lit is not None else (fallback(i), None)

    def remember(self, iri: str, text: str | None, lang: str | None) -> None:
        """A label known from elsewhere (a search hit's title), saving the lookup."""
        if text and iri not in self._cache:
            self._cache[iri] = (text, lang)

    def label(self, iri: str) -> str:
        if iri not in self._cache:
            self.prefetch([iri])
        return self._cache[iri][0]

    def language(self, iri: str) -> str | None:
        if iri not in self._cache:
            self.prefetch([iri])
        return self._cache[iri][1]
