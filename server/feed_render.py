"""What a DCAT feed page holds, built from a store snapshot and the paging index.

A page of catalogue C is: C's own description (its *header*), for each index row on the
page a ``dcat:CatalogRecord`` (modified, status, SHA-256 checksum of the dataset's
description) and, for a live dataset, its description; for a tombstone only a minimal
stand-in (see :func:`PageBuilder.tombstone`); then the Hydra view.

Decorations.  govkg's own datasets are published so that they validate against DCAT-AP 3
without inference: IRIs the description points at get the class DCAT-AP expects
(``dct:publisher`` → ``foaf:Agent`` with its ``foaf:name``, ``dcat:theme`` →
``skos:Concept`` with its ``skos:prefLabel``, licences, formats, frequencies, legislation...),
the open type is mapped to ``dct:accessRights`` and the update cycle to
``dct:accrualPeriodicity`` when the data does not say so (the mappings of
``ontology/alignments.ttl``).  Harvested datasets are republished exactly as they came
(their source answers for them), so that a harvest round-trips.

Checksums cover the dataset's description as published (decorations on the subjects it
owns included), by the same description rule a harvester applies to the page
(``govkg.catalog_index.describe``), so the two agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from govkg.catalog_index import (
    DCAT_CATALOG,
    DCAT_DATASET,
    DCAT_SERIES,
    RDF_TYPE,
    ROOT,
    CatalogIndex,
    Page,
    Row,
    SnapshotDescriber,
    checksum,
    walk,
)
from govkg.ox_terms import (
    P_ALGORITHM,
    P_CHECKSUM,
    P_CHECKSUM_VALUE,
    P_MODIFIED,
    P_PUBLISHER,
    P_STATUS,
    SHA256,
    T_CHECKSUM,
)
from govkg.store.base import Snapshot
from govkg.vocab import ADMS, AUTHORITY, DCATAP, ELI, GDS, HYDRA, SPDX, VCARD

N = ox.NamedNode
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
ODRL = "http://www.w3.org/ns/odrl/2/"
TIME = "http://www.w3.org/2006/time#"
H = str(HYDRA)

T_RESOURCE = N(DCAT + "Resource")
T_RECORD = N(DCAT + "CatalogRecord")
T_CONCEPT = N(SKOS + "Concept")
T_AGENT = N(FOAF + "Agent")
P_PREFLABEL = N(SKOS + "prefLabel")
P_NAME = N(FOAF + "name")
P_TITLE = N(DCT + "title")
P_DESCRIPTION = N(DCT + "description")
P_DATASET = N(DCAT + "dataset")
P_RECORD = N(DCAT + "record")
P_CATALOG = N(DCAT + "catalog")
P_TOPIC = N(FOAF + "primaryTopic")
P_ACCESS_RIGHTS = N(DCT + "accessRights")
P_PERIODICITY = N(DCT + "accrualPeriodicity")
P_OPEN_TYPE = N(str(GDS.openType))
P_UPDATE_CYCLE = N(str(GDS.updateCycle))

# The class DCAT-AP 3 expects of the object of each property (sh:class in the 3.0.0 shapes
# and range.ttl).  Classes whose shapes demand properties of their own (Dataset,
# Distribution, DataService, Catalog, Relationship, ...) are never added by decoration.
CLASS_OF_OBJECT: dict[ox.NamedNode, ox.NamedNode] = {
    N(DCT + "publisher"): T_AGENT,
    N(DCT + "creator"): T_AGENT,
    N(DCAT + "theme"): T_CONCEPT,
    N(DCT + "type"): T_CONCEPT,
    N(str(ADMS.status)): T_CONCEPT,
    N(str(DCATAP.availability)): T_CONCEPT,
    N(DCT + "accessRights"): N(DCT + "RightsStatement"),
    N(DCT + "rights"): N(DCT + "RightsStatement"),
    N(DCT + "accrualPeriodicity"): N(DCT + "Frequency"),
    N(DCT + "license"): N(DCT + "LicenseDocument"),
    N(DCT + "language"): N(DCT + "LinguisticSystem"),
    N(DCT + "spatial"): N(DCT + "Location"),
    N(DCT + "temporal"): N(DCT + "PeriodOfTime"),
    N(DCT + "conformsTo"): N(DCT + "Standard"),
    N(DCT + "format"): N(DCT + "MediaTypeOrExtent"),
    N(DCAT + "mediaType"): N(DCT + "MediaType"),
    N(DCAT + "packageFormat"): N(DCT + "MediaType"),
    N(DCAT + "compressFormat"): N(DCT + "MediaType"),
    N(DCAT + "accessURL"): N(RDFS + "Resource"),
    N(DCAT + "downloadURL"): N(RDFS + "Resource"),
    N(DCAT + "endpointURL"): N(RDFS + "Resource"),
    N(DCAT + "endpointDescription"): N(RDFS + "Resource"),
    N(DCT + "relation"): N(RDFS + "Resource"),
    N(DCT + "isReferencedBy"): N(RDFS + "Resource"),
    N(FOAF + "page"): N(FOAF + "Document"),
    N(FOAF + "homepage"): N(FOAF + "Document"),
    N(DCAT + "landingPage"): N(FOAF + "Document"),
    N(str(DCATAP.applicableLegislation)): N(str(ELI.LegalResource)),
    N(DCT + "provenance"): N(DCT + "ProvenanceStatement"),
    N(PROV + "wasGeneratedBy"): N(PROV + "Activity"),
    N(PROV + "qualifiedAttribution"): N(PROV + "Attribution"),
    N(ODRL + "hasPolicy"): N(ODRL + "Policy"),
    N(DCAT + "hadRole"): N(DCAT + "Role"),
    N(str(SPDX.algorithm)): N(str(SPDX.ChecksumAlgorithm)),
    N(DCAT + "contactPoint"): N(str(VCARD.Kind)),
    N(TIME + "hasBeginning"): N(TIME + "Instant"),
    N(TIME + "hasEnd"): N(TIME + "Instant"),
}

# Objects whose DCAT-AP class has required properties of its own: when the store types the
# object so, its description comes along on the page (a catalogue: its summary).
RELATED_CLASS: dict[ox.NamedNode, ox.NamedNode] = {
    N(DCAT + "service"): N(DCAT + "DataService"),
    N(DCAT + "accessService"): N(DCAT + "DataService"),
    N(DCAT + "inSeries"): DCAT_SERIES,
    N(DCAT + "catalog"): DCAT_CATALOG,
    N(DCT + "hasPart"): DCAT_CATALOG,
}
P_CATALOG_TYPE = N(str(GDS.catalogType))

_EU_AR = "http://publications.europa.eu/resource/authority/access-right/"
_EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
# ontology/alignments.ttl: open type -> EU access right, update cycle -> EU frequency
OPEN_TYPE_ACCESS_RIGHTS = {
    "UNCONDITIONAL_OPEN": "PUBLIC",
    "CONDITIONAL_OPEN": "RESTRICTED",
    "NOT_OPEN": "NON_PUBLIC",
}
UPDATE_CYCLE_FREQUENCY = {
    "REAL_TIME": "UPDATE_CONT",
    "DAILY": "DAILY",
    "WEEKLY": "WEEKLY",
    "MONTHLY": "MONTHLY",
    "QUARTERLY": "QUARTERLY",
    "HALF_YEARLY": "ANNUAL_2",
    "YEARLY": "ANNUAL",
    "IRREGULAR": "IRREG",
    "ON_DEMAND": "IRREG",
    "OTHER": "OTHER",
}
_OPEN_TYPE_NS = AUTHORITY + "open-type/"
_CYCLE_NS = AUTHORITY + "update-cycle/"
RECORD_STATUS_NS = AUTHORITY + "record-status/"


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    if datatype:
        return ox.Literal(value, datatype=N(datatype))
    return ox.Literal(value)


def _term(nt: str) -> ox.Literal:
    """A literal from its N-Triples form (as the index keeps it)."""
    quad = next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
    return quad.object  # type: ignore[no-any-return]


def _stable_blank(*parts: str) -> ox.BlankNode:
    """A blank node whose label depends only on ``parts``: pages are byte-stable."""
    return ox.BlankNode("b" + hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:24])


@dataclass
class FeedSettings:
    base_iri: str
    tombstone_days: float = 90.0
    title: dict[str, str] = field(default_factory=lambda: {"zh": "政务数据资源总目录", "en": "govkg data catalogue"})
    description: dict[str, str] = field(
        default_factory=lambda: {
            "zh": "本平台全部公开数据集的目录，含共享与开放属性。",
            "en": "Every public dataset of this platform, with its sharing and open attributes.",
        }
    )
    publisher: str | None = None  # agent IRI; default <base>id/agency/platform-operator
    publisher_name: dict[str, str] = field(default_factory=lambda: {"zh": "平台运营单位", "en": "platform operator"})

    @property
    def root_iri(self) -> str:
        return self.base_iri + "catalog"

    @property
    def publisher_iri(self) -> str:
        return self.publisher or self.base_iri + "id/agency/platform-operator"

    def record_iri(self, dataset: str) -> str:
        return f"{self.base_iri}id/record/feed/{hashlib.sha1(dataset.encode(), usedforsecurity=False).hexdigest()}"


class PageBuilder:
    """Builds feed content from one snapshot and its index."""

    def __init__(self, snap: Snapshot, index: CatalogIndex, settings: FeedSettings) -> None:
        self.snap = snap
        self.index = index
        self.settings = settings
        self.describer = SnapshotDescriber(snap)
        self._labels: dict[tuple[str, str], list[ox.Literal]] = {}
        self._related: set[str] = set()

    # -- labels --------------------------------------------------------------------------
    def labels(self, node: ox.NamedNode, predicates: Iterable[ox.NamedNode]) -> list[ox.Literal]:
        key = (node.value, ",".join(p.value for p in predicates))
        hit = self._labels.get(key)
        if hit is None:
            hit = []
            for p in predicates:
                hit = list(
                    dict.fromkeys(
                        q.object for q in self.snap.quads(node, p, None, None) if isinstance(q.object, ox.Literal)
                    )
                )
                if hit:
                    break
            if not hit:  # fall back on the code or last path segment: a label is required
                tail = node.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                hit = [ox.Literal(tail or node.value)]
            self._labels[key] = hit
        return hit

    # -- decorations (govkg's own data) --------------------------------------------------
    def decorate(self, triples: list[ox.Triple], *, related: bool = True) -> list[ox.Triple]:
        """Triples that make ``triples`` valid DCAT-AP without inference (see the module doc)."""
        extra: dict[ox.Triple, None] = {}
        if related:
            for t in triples:
                cls = RELATED_CLASS.get(t.predicate)
                o = t.object
                if cls is None or not isinstance(o, ox.NamedNode) or o.value in self._related:
                    continue
                self._related.add(o.value)
                if cls == DCAT_CATALOG:
                    if self.index.has_catalog(o.value):
                        extra.update(dict.fromkeys(self.catalog_summary(o.value)))
                elif next(self.snap.quads(o, RDF_TYPE, cls, None), None) is not None:
                    desc = self.describer.describe(o)
                    extra.update(dict.fromkeys(desc))
                    extra.update(dict.fromkeys(self.decorate(desc, related=False)))
        typed = {(t.subject, t.object) for t in triples if t.predicate == RDF_TYPE}
        present = {(t.subject, t.predicate) for t in triples}
        mapped: list[ox.Triple] = []
        for t in triples:
            if t.predicate == RDF_TYPE and t.object in (DCAT_DATASET, DCAT_SERIES):
                extra[ox.Triple(t.subject, RDF_TYPE, T_RESOURCE)] = None
            elif (
                t.predicate == P_OPEN_TYPE
                and isinstance(t.object, ox.NamedNode)
                and (t.subject, P_ACCESS_RIGHTS) not in present
            ):
                code = OPEN_TYPE_ACCESS_RIGHTS.get(t.object.value.removeprefix(_OPEN_TYPE_NS))
                if code and t.object.value.startswith(_OPEN_TYPE_NS):
                    mapped.append(ox.Triple(t.subject, P_ACCESS_RIGHTS, N(_EU_AR + code)))
            elif (
                t.predicate == P_UPDATE_CYCLE
                and isinstance(t.object, ox.NamedNode)
                and (t.subject, P_PERIODICITY) not in present
            ):
                code = UPDATE_CYCLE_FREQUENCY.get(t.object.value.removeprefix(_CYCLE_NS))
                if code and t.object.value.startswith(_CYCLE_NS):
                    mapped.append(ox.Triple(t.subject, P_PERIODICITY, N(_EU_FREQ + code)))
        for t in mapped:
            extra[t] = None
        for t in [*triples, *mapped]:
            cls = CLASS_OF_OBJECT.get(t.predicate)
            o = t.object
            if cls is None or isinstance(o, ox.Literal) or (o, cls) in typed:
                continue
            typed.add((o, cls))
            extra[ox.Triple(o, RDF_TYPE, cls)] = None
            if isinstance(o, ox.NamedNode) and cls == T_CONCEPT:
                for label in self.labels(o, (P_PREFLABEL,)):
                    extra[ox.Triple(o, P_PREFLABEL, label)] = None
            elif isinstance(o, ox.NamedNode) and cls == T_AGENT:
                for label in self.labels(o, (P_NAME, P_PREFLABEL)):
                    extra[ox.Triple(o, P_NAME, label)] = None
        given = set(triples)
        return [t for t in extra if t not in given]

    # -- catalogue headers --------------------------------------------------------------
    def header(self, catalog: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
        if catalog == ROOT:
            return self.root_header()
        node = N(catalog)
        triples, own = self.index.header(catalog)
        self._related.add(catalog)
        if not any(t.predicate == RDF_TYPE and t.object == DCAT_CATALOG for t in triples):
            triples.append(ox.Triple(node, RDF_TYPE, DCAT_CATALOG))
        if own:
            triples += self.described(node, triples)
            triples += self.decorate(triples)
        return node, triples

    def described(self, node: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Triple]:
        """A ``dct:description`` for a catalogue of govkg's that has none (DCAT-AP requires
        one), said from what is known: its type, publisher and title."""
        if any(t.subject == node and t.predicate == P_DESCRIPTION for t in triples):
            return []
        titles = {
            t.object.language or "": t.object.value
            for t in triples  # type: ignore[union-attr]
            if t.subject == node and t.predicate == P_TITLE and isinstance(t.object, ox.Literal)
        }
        kinds = [t.object for t in triples if t.subject == node and t.predicate == P_CATALOG_TYPE]
        publishers = [t.object for t in triples if t.subject == node and t.predicate == P_PUBLISHER]

        def label(x: object, lang: str, predicates: tuple[ox.NamedNode, ...]) -> str | None:
            if not isinstance(x, ox.NamedNode):
                return None
            labels = self.labels(x, predicates)
            return next((lab.value for lab in labels if lab.language == lang), None)

        out = []
        for lang in sorted(titles) or [""]:
            title = titles.get(lang) or node.value
            kind = label(kinds[0], lang, (P_PREFLABEL,)) if kinds else None
            who = label(publishers[0], lang, (P_NAME, P_PREFLABEL)) if publishers else None
            if lang == "zh":
                text = f"{title}" + (f"：{who}发布的{kind}" if who and kind else f"：{kind}" if kind else "") + "。"
            else:
                text = (
                    f"{title}" + (f": {kind} published by {who}" if who and kind else f": {kind}" if kind else "") + "."
                )
            out.append(ox.Triple(node, P_DESCRIPTION, ox.Literal(text, language=lang) if lang else ox.Literal(text)))
        return out

    def catalog_summary(self, catalog: str) -> list[ox.Triple]:
        """What DCAT-AP needs of a catalogue another one links to: its type, title,
        description and publisher (its full description is at its own URL)."""
        node = N(catalog)
        triples, own = self.index.header(catalog)
        keep = (RDF_TYPE, P_TITLE, P_DESCRIPTION, P_PUBLISHER)
        summary = [t for t in triples if t.subject == node and t.predicate in keep]
        summary.append(ox.Triple(node, RDF_TYPE, DCAT_CATALOG))
        if own:
            full = self.described(node, triples)
            summary += full
            summary += self.decorate(summary, related=False)
        return list(dict.fromkeys(summary))

    def root_header(self) -> tuple[ox.NamedNode, list[ox.Triple]]:
        s = self.settings
        node = N(s.root_iri)
        pub = N(s.publisher_iri)
        out = [ox.Triple(node, RDF_TYPE, DCAT_CATALOG)]
        out += [ox.Triple(node, P_TITLE, _lit(v, lang)) for lang, v in s.title.items()]
        out += [ox.Triple(node, P_DESCRIPTION, _lit(v, lang)) for lang, v in s.description.items()]
        out.append(ox.Triple(node, P_PUBLISHER, pub))
        out.append(ox.Triple(pub, RDF_TYPE, T_AGENT))
        out += [ox.Triple(pub, P_NAME, _lit(v, lang)) for lang, v in s.publisher_name.items()]
        latest = self.index.max_modified(ROOT)
        if latest:
            out.append(ox.Triple(node, P_MODIFIED, _lit(latest[:19] + "Z", datatype=XSD + "dateTime")))
        return node, out

    def subcatalogs(self) -> list[ox.Triple]:
        """The root's ``dcat:catalog`` links, with each catalogue's header (its shape needs them)."""
        root = N(self.settings.root_iri)
        out: list[ox.Triple] = []
        for c in self.index.catalogs():
            if c == self.settings.root_iri:
                continue
            out.append(ox.Triple(root, P_CATALOG, N(c)))
            out += self.catalog_summary(c)
        return out

    # -- items --------------------------------------------------------------------------
    def description(self, dataset: str, own: bool) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """(everything published for the dataset, the part its checksum covers).

        The checksum covers the dataset's description as published: the triples of the
        subjects it owns, decorations on them included; decorations never add owned
        subjects, so the owned set of the stored description is the published one."""
        owned, triples = walk(self.describer.lookup, N(dataset))
        if not own:
            return triples, triples
        extra = self.decorate(triples)
        owned_set = set(owned)
        return triples + extra, triples + [t for t in extra if t.subject in owned_set]

    def tombstone(self, row: Row) -> list[ox.Triple]:
        """A withdrawn dataset: typed, with the title and description DCAT-AP demands and
        that say what happened; never its former description."""
        d = N(row.dataset)
        status = row.status or "DELETED"
        when = (row.modified_nt or "").split('"')[1][:10] if row.modified_nt else ""
        return [
            ox.Triple(d, RDF_TYPE, DCAT_DATASET),
            ox.Triple(d, RDF_TYPE, T_RESOURCE),
            ox.Triple(d, P_TITLE, _lit("已撤销或删除的数据集", "zh")),
            ox.Triple(d, P_TITLE, _lit("withdrawn dataset", "en")),
            ox.Triple(
                d,
                P_DESCRIPTION,
                _lit(f"该数据集已撤销或删除（{status}，{when}），目录记录保留供汇聚方同步删除。", "zh"),
            ),
            ox.Triple(
                d,
                P_DESCRIPTION,
                _lit(
                    f"This dataset was withdrawn ({status}, {when}); its catalogue record stays so that harvesters "
                    "can delete their copy.",
                    "en",
                ),
            ),
        ]

    def record(self, row: Row, digest: str | None) -> list[ox.Triple]:
        rec = N(row.record or self.settings.record_iri(row.dataset))
        status = N(RECORD_STATUS_NS + (row.status or "PUBLISHED"))
        if row.modified_nt:
            modified = _term(row.modified_nt)
            if row.modified_of:  # the original lexical form and datatype, as the source wrote them
                of = ox.BlankNode(row.modified_of[2:]) if row.modified_of.startswith("_:") else N(row.modified_of)
                modified = self.describer.restorer.restore(of, P_MODIFIED, modified)  # type: ignore[assignment]
        else:
            modified = _lit(row.first_seen[:19] + "Z", datatype=XSD + "dateTime")
        out = [
            ox.Triple(rec, RDF_TYPE, T_RECORD),
            ox.Triple(rec, P_TOPIC, N(row.dataset)),
            ox.Triple(rec, P_MODIFIED, modified),
            ox.Triple(rec, P_STATUS, status),
            ox.Triple(status, RDF_TYPE, T_CONCEPT),
        ]
        out += [ox.Triple(status, P_PREFLABEL, lab) for lab in self.labels(status, (P_PREFLABEL,))]
        if digest is not None:
            cs = _stable_blank("checksum", rec.value)
            out += [
                ox.Triple(rec, P_CHECKSUM, cs),
                ox.Triple(cs, RDF_TYPE, T_CHECKSUM),
                ox.Triple(cs, P_ALGORITHM, SHA256),
                ox.Triple(cs, P_CHECKSUM_VALUE, _lit(digest, datatype=XSD + "hexBinary")),
                ox.Triple(SHA256, RDF_TYPE, N(str(SPDX.ChecksumAlgorithm))),
            ]
        return out

    def items(self, catalog_node: ox.NamedNode, rows: list[Row]) -> list[ox.Triple]:
        """Descriptions, records and membership links for index rows."""
        out: dict[ox.Triple, None] = {}
        for row in rows:
            d = N(row.dataset)
            digest = None
            if not row.tombstone:
                published, described = self.description(row.dataset, row.own)
                digest = checksum(described)
                out.update(dict.fromkeys(published))
            rec_triples = self.record(row, digest)
            out[ox.Triple(catalog_node, P_RECORD, rec_triples[0].subject)] = None
            if row.tombstone:
                out.update(dict.fromkeys(self.tombstone(row)))
            else:
                out[ox.Triple(catalog_node, P_DATASET, d)] = None
            out.update(dict.fromkeys(rec_triples))
        return list(out)


@dataclass
class PageLinks:
    view: str
    first: str
    last: str
    next: str | None
    previous: str | None
    search_template: str | None = None


def hydra_triples(catalog: ox.NamedNode, total: int, links: PageLinks) -> list[ox.Triple]:
    view = N(links.view)
    out = [
        ox.Triple(catalog, RDF_TYPE, N(H + "Collection")),
        ox.Triple(catalog, N(H + "totalItems"), _lit(str(total), datatype=XSD + "integer")),
        ox.Triple(catalog, N(H + "view"), view),
        ox.Triple(view, RDF_TYPE, N(H + "PartialCollectionView")),
        ox.Triple(view, N(H + "first"), N(links.first)),
        ox.Triple(view, N(H + "last"), N(links.last)),
    ]
    if links.next:
        out.append(ox.Triple(view, N(H + "next"), N(links.next)))
    if links.previous:
        out.append(ox.Triple(view, N(H + "previous"), N(links.previous)))
    if links.search_template:
        tpl = _stable_blank("search", catalog.value)
        out += [
            ox.Triple(catalog, N(H + "search"), tpl),
            ox.Triple(tpl, RDF_TYPE, N(H + "IriTemplate")),
            ox.Triple(tpl, N(H + "template"), _lit(links.search_template)),
            ox.Triple(tpl, N(H + "variableRepresentation"), N(H + "BasicRepresentation")),
        ]
        for var, prop in (("modified_since", DCT + "modified"), ("limit", H + "limit")):
            m = _stable_blank("mapping", catalog.value, var)
            out += [
                ox.Triple(tpl, N(H + "mapping"), m),
                ox.Triple(m, RDF_TYPE, N(H + "IriTemplateMapping")),
                ox.Triple(m, N(H + "variable"), _lit(var)),
                ox.Triple(m, N(H + "property"), N(prop)),
                ox.Triple(m, N(H + "required"), _lit("false", datatype=XSD + "boolean")),
            ]
    return out


def build_page(
    builder: PageBuilder, catalog: str, page: Page, total: int, links: PageLinks, first_page: bool
) -> list[ox.Triple]:
    node, header = builder.header(catalog)
    out: dict[ox.Triple, None] = dict.fromkeys(header)
    if catalog == ROOT and first_page:
        out.update(dict.fromkeys(builder.subcatalogs()))
    out.update(dict.fromkeys(builder.items(node, page.rows)))
    out.update(dict.fromkeys(hydra_triples(node, total, links)))
    return list(out)


def dataset_document(builder: PageBuilder, dataset: str) -> list[ox.Triple] | None:
    """One dataset with its record, as in the root catalogue; None if the feed does not list it."""
    row = builder.index.row(dataset)
    if row is None:
        return None
    node = N(builder.settings.root_iri)
    triples = builder.items(node, [row])
    # the record belongs to the root catalogue, which is named but not described here
    return [t for t in triples if t.subject != node]
