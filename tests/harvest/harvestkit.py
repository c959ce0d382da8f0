"""Helpers for the harvester tests: reading graphs as written, the conformance examples."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import rdflib
from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "feeds"))

from loopback import ensure_sparql_blueprint  # noqa: E402

ensure_sparql_blueprint()

FORMATS = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld", ".nt": "nt"}


def read_graph(path: Path | None = None, *, data: bytes | None = None, fmt: str | None = None) -> Graph:
    """rdflib's reading of a document, literals exactly as written (no re-normalisation)."""
    old = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            if path is not None:
                return Graph().parse(path, format=fmt or FORMATS[path.suffix])
            return Graph().parse(data=data, format=fmt or "turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = old


def example_files(shared: Path, invalid: bool = False) -> list[Path]:
    root = shared / "conformance" / "dcat-examples"
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in FORMATS)
    return [p for p in files if ("known-invalid" in p.parts) == invalid]


SHARED = Path(__file__).resolve().parents[3] / "shared"
