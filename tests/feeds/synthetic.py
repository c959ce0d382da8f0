"""A synthetic government catalogue in the govkg model (MODEL.md), for feed and harvest tests
and for bench/bench_feeds.py, until the demo generator (govkg.demo) is available everywhere.

It writes N-Quads: agencies, catalogues, datasets with the Chinese extension (sharing and
open types, legal bases, update cycles), distributions with an ``xsd:nonNegativeInteger``
byte size, a blank-node period of time on some datasets, catalogue records with a status
(mostly PUBLISHED, some REVOKED, DELETED or PUBLISH_PENDING) and labelled concepts.
Deterministic for a seed.  ``load(store, ...)`` stores it through a transaction (literal
forms recorded), streaming, so a million datasets load in constant memory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TextIO

import pyoxigraph as ox

from govkg.store.literals import nquads_entry
from govkg.vocab import AUTHORITY, BASE, REGULATIONS, graph_iri

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GDS = BASE + "def#"
ADMS = "http://www.w3.org/ns/adms#"
ELI = "http://data.europa.eu/eli/ontology#"
DPV = "https://w3id.org/dpv#"
DCATAP = "http://data.europa.eu/r5r/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

SHARING = ("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED")
OPEN = ("UNCONDITIONAL_OPEN", "CONDITIONAL_OPEN", "NOT_OPEN")
CYCLES = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY", "REAL_TIME", "IRREGULAR")
THEMES = ("PUBLIC_SERVICES", "HEALTH_SECURITY", "SOCIAL_SECURITY", "ECOLOGY_ENVIRONMENT")
FORMATS = (
    ("CSV", "text/csv"),
    ("JSON", "application/json"),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)
LABELS = {
    "sharing-type": {
        "UNCONDITIONAL": ("无条件共享", "unconditional sharing"),
        "CONDITIONAL": ("有条件共享", "conditional sharing"),
        "NOT_SHARED": ("不予共享", "not shared"),
    },
    "open-type": {
        "UNCONDITIONAL_OPEN": ("无条件开放", "unconditionally open"),
        "CONDITIONAL_OPEN": ("有条件开放", "conditionally open"),
        "NOT_OPEN": ("不予开放", "not open"),
    },
    "update-cycle": {c: (c, c.replace("_", " ").lower()) for c in CYCLES},
    "theme": {t: (t, t.replace("_", " ").lower()) for t in THEMES},
    "record-status": {
        s: (s, s.replace("_", " ").lower()) for s in ("PUBLISHED", "REVOKED", "DELETED", "PUBLISH_PENDING")
    },
    "catalog-type": {
        "OPEN_CATALOG": ("开放目录", "open catalogue"),
        "SHARING_CATALOG": ("共享目录", "sharing catalogue"),
    },
}


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


@dataclass
class Manifest:
    """What was generated: the published datasets and the rest, by status."""

    base: str
    graph: str
    catalogs: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # dataset -> record status code
    catalog_of: dict[str, str] = field(default_factory=dict)

    def with_status(self, *codes: str) -> list[str]:
        return [d for d in self.datasets if self.status[d] in codes]

    @property
    def published(self) -> list[str]:
        return self.with_status("PUBLISHED")


def dataset_iri(base: str, i: int) -> str:
    return f"{base}id/dataset/d{i:07d}"


def generate(
    out: TextIO,
    *,
    datasets: int,
    seed: int = 7,
    base: str = BASE,
    graph: str | None = None,
    catalogs: int = 2,
    statuses: bool = True,
    vocab: bool = True,
    start: int = 0,
    literal_forms: bool = False,
) -> Manifest:
    """Write the catalogue as N-Quads.  With ``literal_forms`` the file also carries the
    literal-form entries (govkg.store.literals) so that it can be bulk-loaded as trusted."""
    g = graph or str(graph_iri("source", "synthetic"))
    m = Manifest(base, g)
    w = out.write
    gt = f" <{g}> .\n"
    rnd = random.Random(seed)
    agencies = [f"{base}id/agency/a{i:03d}" for i in range(12)]
    for i, a in enumerate(agencies):
        w(f"<{a}> <{RDF_TYPE}> <{GDS}Agency>{gt}")
        w(f"<{a}> <{FOAF}name> {lit(f'第{i}委办局', 'zh')}{gt}")
        w(f"<{a}> <{FOAF}name> {lit(f'Bureau {i}', 'en')}{gt}")
    cat_iris = [f"{base}id/catalog/c{k}" for k in range(catalogs)]
    for k, c in enumerate(cat_iris):
        m.catalogs.append(c)
        kind = ("OPEN_CATALOG", "SHARING_CATALOG")[k % 2]
        w(f"<{c}> <{RDF_TYPE}> <{DCAT}Catalog>{gt}")
        w(f"<{c}> <{DCT}title> {lit(f'政务数据目录 {k}', 'zh')}{gt}")
        w(f"<{c}> <{DCT}title> {lit(f'Government data catalogue {k}', 'en')}{gt}")
        w(f"<{c}> <{DCT}description> {lit('本级政务数据资源目录', 'zh')}{gt}")
        w(f"<{c}> <{DCT}description> {lit('The government data resource catalogue of this level', 'en')}{gt}")
        w(f"<{c}> <{DCT}publisher> <{agencies[0]}>{gt}")
        w(f"<{c}> <{GDS}catalogType> <{AUTHORITY}catalog-type/{kind}>{gt}")
        w(f"<{c}> <{DCT}issued> {lit('2021-01-01', datatype=XSD + 'date')}{gt}")
    regs = list(REGULATIONS.values())
    for n in range(start, start + datasets):
        d = dataset_iri(base, n)
        m.datasets.append(d)
        c = cat_iris[n % len(cat_iris)]
        m.catalog_of[d] = c
        sharing = SHARING[rnd.randrange(3)]
        opent = OPEN[rnd.randrange(3)]
        cycle = CYCLES[rnd.randrange(len(CYCLES))]
        day = 1 + rnd.randrange(28)
        modified = f"2024-{1 + n % 12:02d}-{day:02d}T08:{n % 60:02d}:00Z"
        w(f"<{d}> <{RDF_TYPE}> <{DCAT}Dataset>{gt}")
        w(f"<{d}> <{DCT}title> {lit(f'数据集 {n}', 'zh')}{gt}")
        w(f"<{d}> <{DCT}title> {lit(f'Dataset {n}', 'en')}{gt}")
        w(f"<{d}> <{DCT}description> {lit(f'第 {n} 个信息资源', 'zh')}{gt}")
        w(f"<{d}> <{DCT}description> {lit(f'Information resource number {n}', 'en')}{gt}")
        w(f"<{d}> <{DCT}identifier> {lit(f'520100-{n:07d}')}{gt}")
        w(f"<{d}> <{DCT}publisher> <{agencies[n % len(agencies)]}>{gt}")
        w(f"<{d}> <{GDS}sharingType> <{AUTHORITY}sharing-type/{sharing}>{gt}")
        w(f"<{d}> <{GDS}openType> <{AUTHORITY}open-type/{opent}>{gt}")
        w(f"<{d}> <{GDS}updateCycle> <{AUTHORITY}update-cycle/{cycle}>{gt}")
        w(f"<{d}> <{DCAT}theme> <{AUTHORITY}theme/{THEMES[n % len(THEMES)]}>{gt}")
        w(f"<{d}> <{DCATAP}applicableLegislation> <{regs[n % len(regs)]}>{gt}")
        if sharing != "UNCONDITIONAL" or opent != "UNCONDITIONAL_OPEN":
            w(f"<{d}> <{DPV}hasLegalBasis> <{regs[n % len(regs)]}/art_{1 + n % 9}>{gt}")
        w(f"<{d}> <{DCT}issued> {lit('2023-05-01', datatype=XSD + 'date')}{gt}")
        w(f"<{d}> <{DCT}modified> {lit(modified, datatype=XSD + 'dateTime')}{gt}")
        w(f"<{d}> <{DCAT}keyword> {lit('政务', 'zh')}{gt}")
        if n % 3 == 0:  # a blank-node period of time
            b = f"_:t{n}"
            w(f"<{d}> <{DCT}temporal> {b}{gt}")
            w(f"{b} <{RDF_TYPE}> <{DCT}PeriodOfTime>{gt}")
            w(f"{b} <{DCAT}startDate> {lit('2020-01-01', datatype=XSD + 'date')}{gt}")
        fmt, media = FORMATS[n % len(FORMATS)]
        dist = f"{d}/distribution/1"
        w(f"<{d}> <{DCAT}distribution> <{dist}>{gt}")
        w(f"<{dist}> <{RDF_TYPE}> <{DCAT}Distribution>{gt}")
        w(f"<{dist}> <{DCAT}accessURL> <https://data.example.gov.cn/api/d{n}>{gt}")
        w(f"<{dist}> <{DCT}format> <{FILE_TYPE}{fmt}>{gt}")
        w(f"<{dist}> <{DCAT}mediaType> <https://www.iana.org/assignments/media-types/{media}>{gt}")
        size = lit(str(1000 + n), datatype=XSD + "nonNegativeInteger")
        w(f"<{dist}> <{DCAT}byteSize> {size}{gt}")
        if literal_forms:
            w(
                nquads_entry(
                    g,
                    f"<{dist}>",
                    f"<{DCAT}byteSize>",
                    f'"{1000 + n}"^^<{XSD}integer>',
                    str(1000 + n),
                    XSD + "nonNegativeInteger",
                )
            )
        w(f"<{c}> <{DCAT}dataset> <{d}>{gt}")
        status = "PUBLISHED"
        if statuses:
            r = n % 20
            status = {5: "REVOKED", 11: "DELETED", 17: "PUBLISH_PENDING"}.get(r, "PUBLISHED")
        m.status[d] = status
        rec = f"{base}id/record/d{n:07d}"
        w(f"<{c}> <{DCAT}record> <{rec}>{gt}")
        w(f"<{rec}> <{RDF_TYPE}> <{DCAT}CatalogRecord>{gt}")
        w(f"<{rec}> <{FOAF}primaryTopic> <{d}>{gt}")
        w(f"<{rec}> <{DCT}modified> {lit(modified, datatype=XSD + 'dateTime')}{gt}")
        w(f"<{rec}> <{ADMS}status> <{AUTHORITY}record-status/{status}>{gt}")
    if vocab:
        write_vocabulary(out, str(graph_iri("source", "synthetic-vocabulary")), regs)
    return m


def write_vocabulary(out: TextIO, graph: str, regs: list[str]) -> None:
    gt = f" <{graph}> .\n"
    for scheme, codes in LABELS.items():
        for code, (zh, en) in codes.items():
            c = f"{AUTHORITY}{scheme}/{code}"
            out.write(f"<{c}> <{RDF_TYPE}> <{SKOS}Concept>{gt}")
            out.write(f"<{c}> <{SKOS}prefLabel> {lit(zh, 'zh')}{gt}")
            out.write(f"<{c}> <{SKOS}prefLabel> {lit(en, 'en')}{gt}")
    for r in regs:
        out.write(f"<{r}> <{RDF_TYPE}> <{ELI}LegalResource>{gt}")
        out.write(f"<{r}> <{ELI}title> {lit('法规', 'zh')}{gt}")


def load(store: object, *, datasets: int, chunk: int = 5000, **kw: object) -> Manifest:
    """Generate and store (one transaction), ``chunk`` datasets at a time."""
    import io

    manifest: Manifest | None = None
    with store.transaction() as tx:  # type: ignore[attr-defined]
        done = 0
        while done < datasets or manifest is None:
            n = min(chunk, datasets - done)
            buf = io.StringIO()
            part = generate(
                buf,
                datasets=n,
                start=done,
                catalogs=int(kw.get("catalogs", 2)),  # type: ignore[arg-type]
                **{k: v for k, v in kw.items() if k not in ("catalogs",)}
                | {"vocab": manifest is None and bool(kw.get("vocab", True))},
            )
            tx.add(ox.parse(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
            if manifest is None:
                manifest = part
            else:
                manifest.datasets += part.datasets
                manifest.status.update(part.status)
                manifest.catalog_of.update(part.catalog_of)
            done += n
            if n == 0:
                break
    assert manifest is not None
    return manifest
