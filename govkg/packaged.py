"""The Turtle and SPARQL files that ship with govkg (ontology/, shapes/, queries/)."""

from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from govkg.rdfio import parse_document
from govkg.vocab import ONTOLOGY_GRAPH


def folder(name: str) -> Path:
    """The installed folder of package data ``name`` (ontology, shapes or queries).

    These folders are namespace packages (no ``__init__.py``).  Under an editable install
    their ``__path__`` also holds setuptools' path-hook entry, which is not a directory and
    makes ``importlib.resources.files`` fail, so the first real directory is taken.

    The folder beside the ``govkg`` package wins (that is where both an editable and a
    wheel install put it): a namespace package collects every ``<name>/`` folder on
    ``sys.path``, such as ``tests/shapes/`` or one in the working directory."""
    sibling = Path(__file__).resolve().parent.parent / name
    if sibling.is_dir():
        return sibling
    spec = importlib.util.find_spec(name)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return Path(str(files(name)))


def ontology_files() -> list[Path]:
    return sorted(folder("ontology").glob("*.ttl"))


def ontology_quads() -> list[ox.Quad]:
    """The ontology, concept schemes and legislation metadata, in the ontology graph."""
    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    quads: list[ox.Quad] = []
    for path in ontology_files():
        quads += parse_document(path.read_bytes(), ox.RdfFormat.TURTLE, source=str(path), graph=g).quads
    return quads
