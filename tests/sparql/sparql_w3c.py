"""Reading the W3C SPARQL 1.1 manifests (../shared/conformance/w3c-sparql11) and comparing results.

Two kinds of test: ``mf:ProtocolTest`` (HTTP requests and expected responses) and the
query evaluation tests (a query, data, an expected result file).
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from govkg.rdfterms import to_rdflib_graph
from govkg.store.literals import stored_form

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

EVAL_DIRS = ["aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping",
             "negation", "project-expression", "property-path", "subquery", "json-res", "csv-tsv-res"]


def _manifest(path: Path) -> tuple[Graph, list[URIRef]]:
    g = Graph()
    g.parse(path, format="turtle", publicID=path.as_uri())
    manifest = URIRef(path.as_uri())
    entries = list(Collection(g, g.value(manifest, MF.entries)))
    return g, entries  # type: ignore[return-value]


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1]


# -- protocol tests ---------------------------------------------------------------------------
@dataclass
class HttpRequest:
    method: str
    path: str  # with the query string, as in the manifest
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2, 3, 4, 5
    expected_format: str | None  # boolean, tabular, RDF
    expected_boolean: bool | None

    @property
    def params(self) -> dict[str, list[str]]:
        query = urllib.parse.urlsplit(self.path).query
        out = urllib.parse.parse_qs(query, keep_blank_values=True)
        if self.body is not None and self.headers.get("content-type", "").startswith("application/x-www-form"):
            for k, v in urllib.parse.parse_qs(self.body.decode(), keep_blank_values=True).items():
                out.setdefault(k, []).extend(v)
        return out

    @property
    def is_update(self) -> bool:
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("application/sparql-update"):
            return True
        p = self.params
        if "update" in p or "using-graph-uri" in p or "using-named-graph-uri" in p:
            return True
        return self.body is not None and not ctype and self.body.startswith(b"update=")

    def routed(self, query_path: str, update_path: str) -> str:
        """The manifest's /sparql/ replaced by the endpoint that serves this kind of request."""
        rest = self.path[len("/sparql/"):]
        return (update_path if self.is_update else query_path) + rest


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[HttpRequest] = field(default_factory=list)

    @property
    def has_update(self) -> bool:
        return any(r.is_update for r in self.requests)


def protocol_tests(w3c: Path) -> list[ProtocolTest]:
    g, entries = _manifest(w3c / "protocol" / "manifest.ttl")
    tests: list[ProtocolTest] = []
    for entry in entries:
        test = ProtocolTest(_local(entry), str(g.value(entry, MF.name)))
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers: dict[str, str] = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
            body = None
            b = g.value(req, HT.body)
            if b is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {int(_local(s)[len("StatusCode")]) for s in g.objects(resp, MF.expectedStatus)}
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            test.requests.append(HttpRequest(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses=statuses,
                expected_format=str(fmt) if fmt is not None else None,
                expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
            ))
        tests.append(test)
    return tests


RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def check_response(req: HttpRequest, status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with a response to ``req`` (empty: it passes)."""
    problems: list[str] = []
    if status // 100 not in req.statuses:
        problems.append(f"status {status}, expected {sorted(req.statuses)}xx: {body[:300]!r}")
        return problems
    ctype = content_type.split(";")[0].strip().lower()
    if req.expected_format in ("boolean", "tabular"):
        if ctype not in RESULT_TYPES:
            return [f"expected {req.expected_format} results, got {ctype}"]
        if req.expected_format == "boolean" and ctype not in ("application/sparql-results+json",
                                                              "application/sparql-results+xml"):
            return [f"boolean result as {ctype}"]
        if ctype == "text/csv":
            return []  # a CSV result cannot be parsed back into terms; its type is what is checked
        try:
            res = ox.parse_query_results(body, format=RESULT_TYPES[ctype])
        except SyntaxError as e:
            return [f"unparseable {ctype}: {e}"]
        if req.expected_format == "boolean":
            if not isinstance(res, ox.QueryBoolean):
                problems.append("expected a boolean result")
            elif req.expected_boolean is not None and bool(res) != req.expected_boolean:
                problems.append(f"boolean {bool(res)}, expected {req.expected_boolean}")
        elif not isinstance(res, ox.QuerySolutions):
            problems.append("expected solutions")
        else:
            list(res)
    elif req.expected_format == "RDF":
        fmt = ox.RdfFormat.from_media_type(ctype)
        if fmt is None:
            return [f"expected RDF, got {ctype}"]
        try:
            list(ox.parse(body, format=fmt))
        except SyntaxError as e:
            problems.append(f"unparseable {ctype}: {e}")
    return problems


# -- query evaluation tests --------------------------------------------------------------------------
@dataclass
class EvalTest:
    id: str  # dir/name
    kind: str  # QueryEvaluationTest, CSVResultFormatTest, NegativeSyntaxTest11
    query: Path
    data: list[Path]
    graph_data: list[tuple[str, Path]]  # (graph name, file)
    result: Path | None

    @property
    def query_text(self) -> str:
        return self.query.read_text("utf-8")


def eval_tests(w3c: Path) -> list[EvalTest]:
    tests: list[EvalTest] = []
    for d in EVAL_DIRS:
        g, entries = _manifest(w3c / d / "manifest.ttl")
        for entry in entries:
            kind = _local(g.value(entry, RDF_TYPE))
            action = g.value(entry, MF.action)
            if kind == "NegativeSyntaxTest11":
                query = Path(urllib.parse.urlsplit(str(action)).path)
                tests.append(EvalTest(f"{d}/{_local(entry)}", kind, query, [], [], None))
                continue
            if kind not in ("QueryEvaluationTest", "CSVResultFormatTest"):
                continue
            query = _path(g.value(action, QT.query))
            data = [_path(x) for x in g.objects(action, QT.data)]
            graphs: list[tuple[str, Path]] = []
            for gd in g.objects(action, QT.graphData):
                if isinstance(gd, URIRef):
                    graphs.append((str(gd), _path(gd)))
                else:
                    graphs.append((str(g.value(gd, RDFS.label)), _path(g.value(gd, UT.graph))))
            result = g.value(entry, MF.result)
            tests.append(EvalTest(f"{d}/{_local(entry)}", kind, query, sorted(data), sorted(graphs),
                                  _path(result) if result is not None else None))
    return tests


def _path(iri: object) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlsplit(str(iri)).path))


def rdf_format(path: Path) -> ox.RdfFormat:
    return {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}[path.suffix]


# -- comparing results -----------------------------------------------------------------------------
Row = dict[str, object]


def rows_of(res: ox.QuerySolutions) -> tuple[list[str], list[Row]]:
    names = [v.value for v in res.variables]
    return names, [{n: sol[n] for n in names if sol[n] is not None} for sol in res]


def _canonical(term: object) -> object:
    """Literals in the store's canonical form: "3.0E4"^^xsd:double and "30000"^^xsd:double are one value."""
    return stored_form(term) if isinstance(term, ox.Literal) else term


def _shape(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, "_:" if isinstance(v, ox.BlankNode) else str(_canonical(v))) for k, v in row.items()))


def same_rows(a: list[Row], b: list[Row]) -> bool:
    """Equal as multisets of solutions, blank nodes compared up to a consistent renaming."""
    if len(a) != len(b) or Counter(map(_shape, a)) != Counter(map(_shape, b)):
        return False
    if not any(isinstance(v, ox.BlankNode) for r in a for v in r.values()):
        return True
    by_shape: dict[tuple[tuple[str, str], ...], list[Row]] = {}
    for r in b:
        by_shape.setdefault(_shape(r), []).append(r)
    used: set[int] = set()
    mapping: dict[str, str] = {}
    reverse: dict[str, str] = {}

    def bind(x: Row, y: Row) -> list[str] | None:
        added: list[str] = []
        for k, v in x.items():
            w = y[k]
            if isinstance(v, ox.BlankNode):
                if not isinstance(w, ox.BlankNode):
                    break
                if v.value in mapping:
                    if mapping[v.value] != w.value:
                        break
                elif w.value in reverse:
                    break
                else:
                    mapping[v.value] = w.value
                    reverse[w.value] = v.value
                    added.append(v.value)
        else:
            return added
        for k in added:
            del reverse[mapping.pop(k)]
        return None

    def search(i: int) -> bool:
        if i == len(a):
            return True
        for y in by_shape[_shape(a[i])]:
            if id(y) in used:
                continue
            added = bind(a[i], y)
            if added is None:
                continue
            used.add(id(y))
            if search(i + 1):
                return True
            used.discard(id(y))
            for k in added:
                del reverse[mapping.pop(k)]
        return False

    return search(0)


def same_graph(a: list[ox.Triple], b: list[ox.Triple]) -> bool:
    """Isomorphic graphs, literals compared in the store's canonical form."""

    def canonical(ts: list[ox.Triple]) -> Graph:
        out = []
        for t in ts:
            o = t.object
            if isinstance(o, ox.Literal):
                o = stored_form(o)
            out.append(ox.Triple(t.subject, t.predicate, o))
        return to_rdflib_graph(out)

    return isomorphic(canonical(a), canonical(b))


def parse_expected(path: Path) -> object:
    """An expected result: ('boolean', bool), ('rows', names, rows), ('graph', triples), ('csv', text)."""
    suffix = path.suffix
    if suffix in (".srx", ".srj", ".tsv"):
        fmt = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
               ".tsv": ox.QueryResultsFormat.TSV}[suffix]
        data = path.read_bytes()
        if suffix == ".srx" and b"<boolean>" in data:
            value = ElementTree.fromstring(data).find("{http://www.w3.org/2005/sparql-results#}boolean")
            return ("boolean", value is not None and (value.text or "").strip() == "true")
        if suffix == ".srj" and b'"boolean"' in data:
            return ("boolean", bool(json.loads(data)["boolean"]))
        res = ox.parse_query_results(data, format=fmt)
        names, rows = rows_of(res)  # type: ignore[arg-type]
        return ("rows", names, rows)
    if suffix == ".csv":
        return ("csv", path.read_text("utf-8"))
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(path=str(path), format=rdf_format(path), base_iri=path.as_uri())]
    result_set = _result_set(triples)
    return result_set if result_set is not None else ("graph", triples)


RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def _result_set(triples: list[ox.Triple]) -> object | None:
    """A SELECT/ASK result written in RDF with the rs: vocabulary, or None if it is a plain graph."""
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    root = next((t.subject for t in triples if t.predicate.value == RS[:-1] + "#type"
                 or (t.object == ox.NamedNode(RS + "ResultSet"))), None)
    if root is None:
        return None
    props = by_subject[root]
    for t in props:
        if t.predicate.value == RS + "boolean":
            return ("boolean", t.object.value == "true")
    names = [t.object.value for t in props if t.predicate.value == RS + "resultVariable"]
    rows: list[Row] = []
    for t in props:
        if t.predicate.value != RS + "solution":
            continue
        row: Row = {}
        for b in by_subject.get(t.object, []):
            if b.predicate.value != RS + "binding":
                continue
            parts = {x.predicate.value: x.object for x in by_subject.get(b.object, [])}
            row[parts[RS + "variable"].value] = parts[RS + "value"]  # type: ignore[attr-defined]
        rows.append(row)
    return ("rows", names, rows)


def csv_canonical(text: str) -> str:
    return re.sub(r"_:[A-Za-z0-9]+", "_:b", text.replace("\r\n", "\n")).strip()


def same_result(expected: object, actual: object) -> bool:
    """Compare two results of the forms parse_expected gives."""
    if expected[0] != actual[0]:  # type: ignore[index]
        return False
    kind = expected[0]  # type: ignore[index]
    if kind == "boolean":
        return expected[1] == actual[1]  # type: ignore[index]
    if kind == "rows":
        return same_rows(expected[2], actual[2])  # type: ignore[index]
    if kind == "graph":
        return same_graph(expected[1], actual[1])  # type: ignore[index]
    if kind == "csv":
        return _csv_rows(expected[1]) == _csv_rows(actual[1])  # type: ignore[index]
    return False


def _csv_rows(text: str) -> Counter[tuple[tuple[str, str], ...]]:
    """CSV rows as a multiset of {column: value}: the order of the columns of SELECT * is free."""
    import csv

    reader = csv.DictReader(io.StringIO(csv_canonical(text)))
    return Counter(tuple(sorted(row.items())) for row in reader)


def engine_result(store: ox.Store, text: str, base_iri: str, csv: bool = False) -> object:
    res = store.query(text, base_iri=base_iri)
    if isinstance(res, ox.QueryBoolean):
        return ("boolean", bool(res))
    if isinstance(res, ox.QuerySolutions):
        if csv:
            out = io.BytesIO()
            res.serialize(out, ox.QueryResultsFormat.CSV)
            return ("csv", out.getvalue().decode("utf-8"))
        names, rows = rows_of(res)
        return ("rows", names, rows)
    return ("graph", list(res))
