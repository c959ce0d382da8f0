"""What the site tests share besides fixtures: the demo site's constants and the ``Site``
record (imported by name, so it must not live in ``conftest``: several test folders have one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Flask

from govkg.store.oxigraph import OxigraphStore

N = ox.NamedNode
RDF_TYPE = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SH = "http://www.w3.org/ns/shacl#"
GDS = "https://w3id.org/govkg/def#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
XSD_DT = N("http://www.w3.org/2001/XMLSchema#dateTime")
BASE = "https://w3id.org/govkg/"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE = BASE + "id/dataset/harvested-hostile-1"
SHAPE = BASE + "shapes/test#LegalBasisShape"


@dataclass
class Site:
    store: OxigraphStore
    app: Flask
    dataset: str  # has a legal basis (an article) and a finding citing it
    article: str
    other: str  # another dataset breaking the same article
    agency: str  # publisher of ``dataset``
    jurisdiction: str  # top jurisdiction of ``agency``
    latest_run: str
    older_run: str


ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
