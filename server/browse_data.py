"""What the site's pages show, read from a snapshot: plain dicts and lists for the templates.

Every query is a SPARQL string run on pyoxigraph (PITFALLS: never rdflib's engine), bounded
by LIMIT and free of ORDER BY over IRIs; sorting happens in Python on the few rows returned.
IRIs put into a query are written with pyoxigraph's NamedNode, which rejects anything that is
not an IRI, so no request value is ever spliced into SPARQL as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from govkg.labels import pick
from govkg.store.base import Snapshot

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
GDS = "https://w3id.org/govkg/def#"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ADMS = "http://www.w3.org/ns/adms#"
DPV = "https://w3id.org/dpv#"
DCATAP = "http://data.europa.eu/r5r/"
SOURCES_GRAPH = "https://w3id.org/govkg/graph/system/sources"
SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
SEVERITY_IRIS = {v: k for k, v in SEVERITIES.items()}

PREFIX_NAMES = {
    DCAT: "dcat", DCT: "dct", GDS: "gds", PROV: "prov", SH: "sh", ELI: "eli", ORG: "org", FOAF: "foaf",
    SKOS: "skos", ADMS: "adms", DPV: "dpv", DCATAP: "dcatap", "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf", "http://www.w3.org/2002/07/owl#": "owl",
    "http://www.w3.org/ns/odrl/2/": "odrl", "http://www.w3.org/2006/vcard/ns#": "vcard",
    "http://spdx.org/rdf/terms#": "spdx", "http://www.w3.org/ns/dqv#": "dqv",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for ns, p in PREFIX_NAMES.items())


def n(iri: str) -> str:
    """An IRI as a SPARQL term; raises ValueError for anything that is not an IRI."""
    return str(ox.NamedNode(iri))


def curie(iri: str) -> str:
    for ns, p in PREFIX_NAMES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


@dataclass
class Value:
    """One object of a property: an IRI (labelled later), a literal or a blank node."""

    kind: str  # "iri" | "literal" | "blank"
    value: str
    lang: str | None = None
    datatype: str | None = None
    nested: list[tuple[str, list[Value]]] = field(default_factory=list)


def _value(term: object) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value("iri", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else None
        if dt in ("http://www.w3.org/2001/XMLSchema#string",
                  "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"):
            dt = None
        return Value("literal", term.value, term.language, dt)
    return Value("blank", str(term))


def group(pairs: Iterable[tuple[str, Value]]) -> list[tuple[str, list[Value]]]:
    out: dict[str, list[Value]] = {}
    for p, v in pairs:
        out.setdefault(p, []).append(v)
    return sorted(out.items(), key=lambda kv: (kv[0] != RDF_TYPE, curie(kv[0])))


def description(snap: Snapshot, iri: str, limit: int = 2000) -> list[ox.Triple]:
    """The resource's own triples, literals restored, plus one level of its blank nodes."""
    own = list(snap.triples(f"CONSTRUCT {{ {n(iri)} ?p ?o }} WHERE {{ {n(iri)} ?p ?o }} LIMIT {limit}"))
    if not any(isinstance(t.object, ox.BlankNode) for t in own):
        return own  # the usual case; the OPTIONAL below costs 20x more on a catalogue's 2000 links
    return list(snap.triples(
        f"CONSTRUCT {{ {n(iri)} ?p ?o . ?o ?p2 ?o2 }} WHERE {{ {{ SELECT ?p ?o WHERE {{ {n(iri)} ?p ?o }} "
        f"LIMIT {limit} }} OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }}"))


def properties(triples: list[ox.Triple], iri: str) -> list[tuple[str, list[Value]]]:
    subject = ox.NamedNode(iri)
    blank: dict[object, list[tuple[str, Value]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            blank.setdefault(t.subject, []).append((t.predicate.value, _value(t.object)))
    out = []
    for t in triples:
        if t.subject == subject:
            v = _value(t.object)
            if isinstance(t.object, ox.BlankNode):
                v.nested = group(blank.get(t.object, []))
            out.append((t.predicate.value, v))
    return group(out)


def inverse(snap: Snapshot, iri: str, limit: int = 300) -> list[tuple[str, list[Value]]]:
    rows = snap.select(f"SELECT ?s ?p WHERE {{ ?s ?p {n(iri)} FILTER(isIRI(?s)) }} LIMIT {limit}")
    return group((r["p"].value, Value("iri", r["s"].value)) for r in rows)  # type: ignore[attr-defined]


def first(props: list[tuple[str, list[Value]]], iri: str) -> list[Value]:
    for p, vs in props:
        if p == iri:
            return vs
    return []


def text_of(values: list[Value], lang: str) -> Value | None:
    lits = [ox.Literal(v.value, language=v.lang) if v.lang else ox.Literal(v.value) for v in values
            if v.kind == "literal"]
    best = pick(lits, lang)
    if best is None:
        return None
    return Value("literal", best.value, best.language)


def types_of(props: list[tuple[str, list[Value]]]) -> set[str]:
    return {v.value for v in first(props, RDF_TYPE)}


# -- validation runs and findings ---------------------------------------------------------------
def runs(snap: Snapshot) -> list[dict[str, str]]:
    """Every stored validation run, oldest first."""
    rows = snap.select(
        f"SELECT ?g ?run ?t WHERE {{ GRAPH ?g {{ ?run a <{GDS}ValidationRun> ; <{PROV}endedAtTime> ?t }} }}")
    out = [{"graph": r["g"].value, "run": r["run"].value, "ended": r["t"].value} for r in rows]  # type: ignore[attr-defined]
    return sorted(out, key=lambda r: r["ended"])


def run_graph(snap: Snapshot, run_iri: str | None) -> dict[str, str] | None:
    all_runs = runs(snap)
    if not all_runs:
        return None
    if run_iri:
        for r in all_runs:
            if run_iri in (r["run"], r["graph"]):
                return r
        return None
    return all_runs[-1]


@dataclass
class Finding:
    result: str
    focus: str
    severity: str
    shape: str | None = None
    article: str | None = None
    agency: str | None = None
    messages: list[ox.Literal] = field(default_factory=list)

    def message(self, lang: str) -> str:
        m = pick(self.messages, lang)
        return m.value if m is not None else ""


FILTER_PROPS = {"jurisdiction": f"<{GDS}topJurisdiction>|<{GDS}jurisdiction>", "agency": f"<{GDS}agency>",
                "article": f"<{DCT}source>", "shape": f"<{SH}sourceShape>", "focus": f"<{SH}focusNode>"}


def findings_pattern(graph: str, filters: dict[str, str]) -> str:
    lines = [f"?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ; <{SH}resultSeverity> ?sev ."]
    for key, value in sorted(filters.items()):
        if key == "severity":
            lines.append(f"?r <{SH}resultSeverity> {n(SEVERITY_IRIS.get(value, SH + value))} .")
        elif key in FILTER_PROPS:
            lines.append(f"?r {FILTER_PROPS[key]} {n(value)} .")
    return f"GRAPH {n(graph)} {{ " + " ".join(lines) + " }"


def findings(snap: Snapshot, graph: str, filters: dict[str, str] | None = None, *,
             focus: Iterable[str] = (), limit: int = 500) -> list[Finding]:
    values = " ".join(n(f) for f in focus)
    vclause = f"VALUES ?focus {{ {values} }}" if values else ""
    rows = snap.select(
        f"SELECT ?r ?focus ?sev ?shape ?art ?ag ?msg WHERE {{ {vclause} "
        f"{{ SELECT ?r ?focus ?sev WHERE {{ {vclause} {findings_pattern(graph, filters or {})} }} LIMIT {limit} }} "
        f"GRAPH {n(graph)} {{ OPTIONAL {{ ?r <{SH}sourceShape> ?shape }} OPTIONAL {{ ?r <{DCT}source> ?art }} "
        f"OPTIONAL {{ ?r <{GDS}agency> ?ag }} OPTIONAL {{ ?r <{SH}resultMessage> ?msg }} }} }}")
    out: dict[str, Finding] = {}
    for r in rows:
        key = r["r"].value if isinstance(r["r"], ox.NamedNode) else str(r["r"])  # type: ignore[attr-defined]
        f = out.get(key)
        if f is None:
            f = out[key] = Finding(key, r["focus"].value, SEVERITIES.get(r["sev"].value, "info"))  # type: ignore[attr-defined]
            f.shape = r["shape"].value if isinstance(r.get("shape"), ox.NamedNode) else None  # type: ignore[union-attr]
            f.article = r["art"].value if isinstance(r.get("art"), ox.NamedNode) else None  # type: ignore[union-attr]
            f.agency = r["ag"].value if isinstance(r.get("ag"), ox.NamedNode) else None  # type: ignore[union-attr]
        msg = r.get("msg")
        if isinstance(msg, ox.Literal) and msg not in f.messages:
            f.messages.append(msg)
    order = {"violation": 0, "warning": 1, "info": 2}
    return sorted(out.values(), key=lambda f: (order[f.severity], f.focus, f.result))


def counts(snap: Snapshot, graph: str, by: str, filters: dict[str, str] | None = None,
           limit: int = 25) -> list[tuple[str, int]]:
    """Findings of a run counted by ``by`` (severity, jurisdiction, agency, article)."""
    if by == "severity":
        var, extra = "?sev", ""
    else:
        prop = {"jurisdiction": f"<{GDS}topJurisdiction>", "agency": f"<{GDS}agency>",
                "article": f"<{DCT}source>"}[by]
        var, extra = "?k", f"GRAPH {n(graph)} {{ ?r {prop} ?k }}"
    rows = snap.select(
        f"SELECT {var} (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {findings_pattern(graph, filters or {})} {extra} }} "
        f"GROUP BY {var}")
    out = []
    for r in rows:
        k = r.get(var[1:])
        if k is None:
            continue
        key = SEVERITIES.get(k.value, "info") if by == "severity" else k.value  # type: ignore[attr-defined]
        out.append((key, int(r["n"].value)))  # type: ignore[attr-defined]
    out.sort(key=lambda kv: (-kv[1], kv[0]))
    return out[:limit]


def trend(snap: Snapshot) -> list[dict[str, object]]:
    """Per run (oldest first): when it ended and its findings by severity."""
    rows = snap.select(
        f"SELECT ?g ?run ?t ?sev (COUNT(?r) AS ?n) WHERE {{ GRAPH ?g {{ ?run a <{GDS}ValidationRun> ; "
        f"<{PROV}endedAtTime> ?t . OPTIONAL {{ ?r a <{SH}ValidationResult> ; <{SH}resultSeverity> ?sev }} }} }} "
        "GROUP BY ?g ?run ?t ?sev")
    by_run: dict[str, dict[str, object]] = {}
    for r in rows:
        g = r["g"].value  # type: ignore[attr-defined]
        entry = by_run.setdefault(g, {"graph": g, "run": r["run"].value, "ended": r["t"].value,  # type: ignore[attr-defined]
                                      "violation": 0, "warning": 0, "info": 0})
        if "sev" in r:
            entry[SEVERITIES.get(r["sev"].value, "info")] = int(r["n"].value)  # type: ignore[attr-defined]
    return sorted(by_run.values(), key=lambda e: str(e["ended"]))


def findings_sparql(graph: str, filters: dict[str, str]) -> str:
    return (SPARQL_PREFIXES + "SELECT ?r ?focus ?sev (SAMPLE(?art) AS ?article) "
            '(GROUP_CONCAT(?msg; separator=" / ") AS ?message) WHERE {\n  '
            + findings_pattern(graph, filters)
            + f"\n  OPTIONAL {{ GRAPH {n(graph)} {{ ?r dct:source ?art }} }}"
            + f"\n  OPTIONAL {{ GRAPH {n(graph)} {{ ?r sh:resultMessage ?msg }} }}"
            + "\n} GROUP BY ?r ?focus ?sev LIMIT 1000")


# -- page-specific panels -----------------------------------------------------------------------
def dataset_panels(snap: Snapshot, iri: str, props: list[tuple[str, list[Value]]]) -> dict[str, object]:
    d = n(iri)
    cats = snap.select(
        f"SELECT ?c ?type ?lead WHERE {{ ?c <{DCAT}dataset> {d} OPTIONAL {{ ?c <{GDS}catalogType> ?type }} "
        f"OPTIONAL {{ ?c <{GDS}leadDepartment> ?lead }} }} LIMIT 50")
    catalogues = [{k: v.value for k, v in r.items()} for r in cats]  # type: ignore[attr-defined]
    dists = []
    for v in first(props, DCAT + "distribution"):
        if v.kind == "iri":
            dists.append({"iri": v.value, "props": properties(description(snap, v.value, 100), v.value)})
    timeline: list[dict[str, str]] = []
    rec_rows = snap.select(
        f"SELECT ?rec ?p ?o WHERE {{ ?rec <{FOAF}primaryTopic> {d} ; ?p ?o "
        f"FILTER(?p IN (<{DCT}issued>, <{DCT}modified>, <{ADMS}status>, <{DCT}source>, <{PROV}wasDerivedFrom>)) }} "
        "LIMIT 50")
    records: dict[str, dict[str, str]] = {}
    for r in rec_rows:
        records.setdefault(r["rec"].value, {})[curie(r["p"].value)] = r["o"].value  # type: ignore[attr-defined]
    act_rows = snap.select(
        f"SELECT DISTINCT ?a WHERE {{ ?rec <{FOAF}primaryTopic> {d} . ?a <{PROV}used> ?rec }} LIMIT 200")
    acts: dict[str, dict[str, str]] = {}
    keep = {RDF_TYPE: "type", PROV + "wasAssociatedWith": "agent", PROV + "startedAtTime": "start",
            PROV + "endedAtTime": "end"}
    for row in act_rows:
        a = row["a"]
        entry = acts[a.value] = {"activity": a.value, "type": "", "agent": "", "start": "", "end": ""}  # type: ignore[attr-defined]
        for q in snap.quads(a, None, None, None):  # subject lookups: a VALUES join would scan
            key = keep.get(q.predicate.value)
            if key is None or (key == "type" and q.object.value == PROV + "Activity"):  # type: ignore[union-attr]
                continue
            if key == "type" and entry["type"]:
                continue
            entry[key] = q.object.value  # type: ignore[union-attr]
    timeline.extend(a for a in acts.values() if a["type"])
    for rec, vals in records.items():
        if "dct:issued" in vals:
            timeline.append({"activity": rec, "type": "record-issued", "agent": "", "start": "",
                             "end": vals["dct:issued"]})
        if "dct:modified" in vals and vals.get("dct:modified") != vals.get("dct:issued"):
            timeline.append({"activity": rec, "type": "record-modified", "agent": "", "start": "",
                             "end": vals["dct:modified"]})
    sources = snap.select(
        f"SELECT DISTINCT ?g ?src ?when ?act WHERE {{ GRAPH ?g {{ {d} a ?t }} OPTIONAL {{ GRAPH <{SOURCES_GRAPH}> "
        f"{{ ?g <{DCT}source> ?src OPTIONAL {{ ?g <{DCT}modified> ?when }} "
        f"OPTIONAL {{ ?g <{PROV}wasGeneratedBy> ?act }} }} }} }} LIMIT 20")
    loaded = [{k: v.value for k, v in r.items()} for r in sources]  # type: ignore[attr-defined]
    timeline.sort(key=lambda e: e["end"] or e["start"])
    owned = [iri] + [x["iri"] for x in dists] + [v.value for v in first(props, GDS + "hasDataItem")] + list(records)
    return {"catalogues": catalogues, "distributions": dists, "timeline": timeline, "records": records,
            "loaded": loaded, "owned": owned}


def article_panels(snap: Snapshot, iri: str, shapes_graph: object) -> dict[str, object]:
    shapes: list[str] = []
    if shapes_graph is not None:
        from rdflib import URIRef
        from rdflib.namespace import DCTERMS

        shapes = sorted(str(s) for s in shapes_graph.subjects(DCTERMS.source, URIRef(iri)))  # type: ignore[attr-defined]
    return {"shapes": shapes}


def agency_panels(snap: Snapshot, iri: str) -> dict[str, object]:
    chain: list[str] = []
    cur = iri
    for _ in range(10):
        rows = snap.select(f"SELECT ?p WHERE {{ {n(cur)} <{ORG}subOrganizationOf> ?p FILTER(isIRI(?p)) }} LIMIT 1")
        if not rows or rows[0]["p"].value in chain:  # type: ignore[attr-defined]
            break
        cur = rows[0]["p"].value  # type: ignore[attr-defined]
        chain.append(cur)
    children = [r["c"].value for r in snap.select(  # type: ignore[attr-defined]
        f"SELECT ?c WHERE {{ ?c <{ORG}subOrganizationOf> {n(iri)} FILTER(isIRI(?c)) }} LIMIT 100")]
    cats: set[str] = set()
    for prop in (DCT + "publisher", GDS + "leadDepartment"):  # (a UNION here makes Oxigraph scan)
        cats |= {r["c"].value for r in snap.select(  # type: ignore[attr-defined]
            f"SELECT ?c WHERE {{ ?c <{prop}> {n(iri)} . ?c a <{DCAT}Catalog> }} LIMIT 100")}
    return {"ancestors": chain[::-1], "children": sorted(children), "catalogues": sorted(cats)}


def jurisdiction_panels(snap: Snapshot, iri: str) -> dict[str, object]:
    children = [r["c"].value for r in snap.select(  # type: ignore[attr-defined]
        f"SELECT ?c WHERE {{ ?c <{GDS}partOfJurisdiction> {n(iri)} FILTER(isIRI(?c)) }} LIMIT 200")]
    agencies = [r["a"].value for r in snap.select(  # type: ignore[attr-defined]
        f"SELECT ?a WHERE {{ ?a <{GDS}jurisdiction> {n(iri)} }} LIMIT 300")]
    return {"children": sorted(children), "agencies": sorted(agencies)}


def catalogue_panels(snap: Snapshot, iri: str, limit: int = 100) -> dict[str, object]:
    rows = snap.select(f"SELECT ?d WHERE {{ {n(iri)} <{DCAT}dataset> ?d FILTER(isIRI(?d)) }} LIMIT {limit + 1}")
    ds = [r["d"].value for r in rows]  # type: ignore[attr-defined]
    return {"datasets": sorted(ds[:limit]), "more": len(ds) > limit}


def top_jurisdictions(snap: Snapshot) -> list[str]:
    rows = snap.select(
        f"SELECT ?j WHERE {{ ?j a <{GDS}Jurisdiction> . MINUS {{ ?j <{GDS}partOfJurisdiction> ?p }} }} LIMIT 50")
    tops = [r["j"].value for r in rows]  # type: ignore[attr-defined]
    rows = snap.select(
        f"SELECT ?j WHERE {{ ?j a <{GDS}Jurisdiction> ; <{GDS}partOfJurisdiction> ?p . "
        f"MINUS {{ ?p <{GDS}partOfJurisdiction> ?pp }} }} LIMIT 200")
    return sorted(set(tops)) + sorted({r["j"].value for r in rows})  # type: ignore[attr-defined]
