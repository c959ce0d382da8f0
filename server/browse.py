"""The browse blueprint: the auditors' site.

Routes
------
``/``                             home: jurisdictions and headline figures
``/id/…  /eli/…  /def  /authority/…  /graph/…``
                                  every IRI govkg mints under its base, dereferenced: HTML for
                                  browsers, Turtle, JSON-LD, RDF/XML or N-Triples by ``Accept``
                                  or by suffix (``.ttl``, ``.jsonld``, ``.rdf``, ``.nt``)
``/resource?iri=…``               the same page for any other IRI (vocabularies, EU tables)
``/search``                       text search with facets (govkg.search_index)
``/dashboard``                    compliance findings by jurisdiction, agency, article, severity
``/findings``                     the list behind each dashboard number

Language: ``?lang=zh|en`` (kept in a cookie), else ``Accept-Language``, else zh; labels fall
back to the other language (govkg.labels).  Everything is rendered by Jinja with autoescape;
harvested data is hostile, so pages carry a Content-Security-Policy without scripts.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request, url_for

from govkg.errors import GovkgError
from govkg.labels import Labeller
from govkg.search_index import COMPLIANCE, FACET_NAMES, FACETS, SearchIndex, SearchIndexManager
from govkg.store.base import Snapshot, Store
from server import browse_data as data
from server.browse_i18n import DEFAULT_LANG, LANGS, translate
from server.context import govkg
from server.negotiation import GRAPH_OFFERS, MEDIA_TYPES, negotiate

bp = Blueprint("browse", __name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
SUFFIXES = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML,
            "nt": ox.RdfFormat.N_TRIPLES}
TWINS = [("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("rdf", "RDF/XML"), ("nt", "N-Triples")]
PAGE_OFFERS = [("html", "text/html"), ("html", "application/xhtml+xml")] + [
    (k, m) for k, m in GRAPH_OFFERS if k in SUFFIXES]
LANG_COOKIE = "govkg_lang"
PAGE_SIZE = 20
MAX_SEARCH_PAGE = 100_000


class NotFound(GovkgError):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2, http_status=404)


# -- per-process state: one snapshot per store generation, shapes, the search index -------------
class BrowseState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._gen: str | None = None
        self._users = 0
        self._retired: list[Snapshot] = []
        self._shapes: Any = None
        self._shapes_loaded = False
        self._cache: dict[tuple[str | None, str], Any] = {}

    def cached(self, key: str, compute: Any) -> Any:
        """A value computed once per store generation (home-page lists and the like)."""
        k = (self._gen, key)
        if k not in self._cache:
            value = compute()
            with self._lock:
                self._cache = {kk: v for kk, v in self._cache.items() if kk[0] == self._gen}
                self._cache[k] = value
        return self._cache[k]

    @contextlib.contextmanager
    def snapshot(self, store: Store) -> Iterator[Snapshot]:
        current = getattr(store, "current_generation", None)
        if current is None:
            snap = store.snapshot()
            try:
                yield snap
            finally:
                snap.close()
            return
        gen = current().name
        with self._lock:
            if self._snap is None or self._gen != gen:
                if self._snap is not None:
                    self._retired.append(self._snap)
                self._snap, self._gen = store.snapshot(), gen
            snap = self._snap
            self._users += 1
        try:
            yield snap
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    for old in self._retired:
                        old.close()
                    self._retired.clear()

    def shapes_graph(self) -> Any:
        """The SHACL shapes (for "shapes that enforce this article"); None if they do not load."""
        with self._lock:
            if not self._shapes_loaded:
                self._shapes_loaded = True
                try:
                    from govkg.validate.run import load_shapes

                    self._shapes = load_shapes().graph
                except Exception:  # noqa: BLE001 - shapes are optional for the site
                    self._shapes = None
            return self._shapes

    def close(self) -> None:
        with self._lock:
            for s in [*self._retired, *([self._snap] if self._snap is not None else [])]:
                s.close()
            self._snap, self._retired = None, []


@bp.record_once
def _register(state: Any) -> None:
    state.app.extensions["govkg.browse"] = BrowseState()


def _state() -> BrowseState:
    return current_app.extensions["govkg.browse"]  # type: ignore[no-any-return]


@contextlib.contextmanager
def _open() -> Iterator[Snapshot]:
    with _state().snapshot(govkg().store) as snap:
        g.snap = snap
        g.labeller = Labeller(snap, g.lang)
        yield snap


def _index(snap: Snapshot) -> SearchIndex:
    return SearchIndexManager.for_store(govkg().store).open(snap)


# -- language, headers ---------------------------------------------------------------------------
# The DCAT feeds blueprint serves the RDF of /id/dataset/… and /id/catalog/… (their full
# DCAT descriptions); a browser asking for HTML there gets this site's page instead.
FEED_ENDPOINTS = frozenset({"feeds.minted_dataset", "feeds.minted_catalog"})


@bp.before_app_request
def _html_for_feed_iris() -> Response | None:
    _choose_lang()
    if request.endpoint not in FEED_ENDPOINTS or request.method not in ("GET", "HEAD"):
        return None
    if request.path.rsplit("/", 1)[-1].rpartition(".")[2] in SUFFIXES and "." in request.path.rsplit("/", 1)[-1]:
        return None
    if negotiate(request.headers.get("Accept"), PAGE_OFFERS) != "html":
        return None
    resp = _resource(base_iri() + request.path[len(request.script_root) + 1:])
    return _headers(resp)


def _choose_lang() -> None:
    asked = request.args.get("lang", "")
    if asked in LANGS:
        g.lang, g.set_lang = asked, True
        return
    g.set_lang = False
    cookie = request.cookies.get(LANG_COOKIE, "")
    if cookie in LANGS:
        g.lang = cookie
        return
    best = request.accept_languages.best_match(["zh", "zh-CN", "en", "en-US", "en-GB"])
    g.lang = (best or DEFAULT_LANG)[:2]


@bp.after_request
def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    if getattr(g, "set_lang", False):
        resp.set_cookie(LANG_COOKIE, g.lang, max_age=365 * 86400, samesite="Lax", httponly=True)
    return resp


# -- template helpers ------------------------------------------------------------------------------
def base_iri() -> str:
    return govkg().config.base_iri


def href(iri: str) -> str:
    """Where the site shows ``iri``: its own path when govkg minted it, else /resource?iri=."""
    base = base_iri()
    if iri.startswith(base) and "#" not in iri and "?" not in iri:
        return request.script_root + "/" + iri[len(base):]
    return url_for("browse.resource", iri=iri)


def label(iri: str) -> str:
    return g.labeller.label(iri) if "labeller" in g else iri


def lang_url(lang: str) -> str:
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


def sparql_link(query: str) -> str:
    return url_for("sparql.sparql") + "?" + urlencode({"query": query}) if _has_sparql() else "#"


def _has_sparql() -> bool:
    return "sparql.sparql" in current_app.view_functions


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"t": lambda key: translate(key, getattr(g, "lang", DEFAULT_LANG)), "href": href, "label": label,
            "curie": data.curie, "lang_url": lang_url, "lang": lambda: getattr(g, "lang", DEFAULT_LANG),
            "sparql_link": sparql_link}


def _render(template: str, status: int = 200, alternates: str | None = None, **ctx: Any) -> Response:
    links = []
    if alternates:
        links = [(alternates + "." + k, MEDIA_TYPES[k].split(";")[0], name) for k, name in TWINS]
    body = render_template(template, alternates=links, **ctx)
    resp = Response(body, status=status, mimetype="text/html")
    if links:
        resp.headers["Link"] = ", ".join(f'<{u}>; rel="alternate"; type="{m}"' for u, m, _ in links)
    return resp


def _prefetch(*groups: Any) -> None:
    iris: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, data.Value):
            if x.kind == "iri":
                iris.add(x.value)
            for _p, vs in x.nested:
                iris.add(_p)
                for v in vs:
                    walk(v)
        elif isinstance(x, str) and x.startswith(("http://", "https://")):
            iris.add(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, list | tuple | set):
            for v in x:
                walk(v)
        elif isinstance(x, data.Finding):
            walk([x.focus, x.shape, x.article, x.agency])

    for grp in groups:
        walk(grp)
    g.labeller.prefetch(iris)


# -- home ------------------------------------------------------------------------------------------
@bp.route("/")
def home() -> Response:
    with _open() as snap:
        tops = _state().cached("top-jurisdictions", lambda: data.top_jurisdictions(snap))
        with _index(snap) as idx:
            by_j = dict(idx.totals("jurisdiction"))
            total = idx.count()
            agencies = len(idx.totals("agency"))
            compliance = dict(idx.totals(COMPLIANCE))
        run = data.run_graph(snap, None)
        sev = dict(data.counts(snap, run["graph"], "severity")) if run else {}
        cats = snap.select(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{data.DCAT}Catalog> }}")
        ncat = int(cats[0]["n"].value) if cats else 0  # type: ignore[attr-defined]
        _prefetch(tops)
        return _render("home.html", tops=[(j, by_j.get(j, 0)) for j in tops], total=total, agencies=agencies,
                       catalogues=ncat, run=run, severities=sev, compliance=compliance)


# -- dereferencing ---------------------------------------------------------------------------------
@bp.route("/id/<path:rest>")
@bp.route("/eli/<path:rest>")
@bp.route("/authority/<path:rest>")
@bp.route("/authority", defaults={"rest": None})
@bp.route("/graph/<path:rest>")
@bp.route("/def", defaults={"rest": None})
@bp.route("/def.<any(ttl, jsonld, rdf, nt):ext>", defaults={"rest": None})
def minted(rest: str | None, ext: str | None = None) -> Response:
    return _resource(base_iri() + request.path[len(request.script_root) + 1:])


@bp.route("/resource")
def resource() -> Response:
    iri = request.args.get("iri", "")
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise NotFound("not an IRI") from None
    if not iri:
        raise NotFound("no iri given")
    return _resource(iri, suffix_allowed=False)


def _resource(iri: str, *, suffix_allowed: bool = True) -> Response:
    fmt: str | None = None
    if suffix_allowed:
        stem, dot, ext = iri.rpartition(".")
        if dot and ext in SUFFIXES and "/" not in ext:
            fmt, iri = ext, stem
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise NotFound("not an IRI") from None
    if fmt is None:
        fmt = negotiate(request.headers.get("Accept"), PAGE_OFFERS)
        if fmt is None:
            raise GovkgError("none of the accepted media types is offered: use text/html, text/turtle, "
                             "application/ld+json, application/rdf+xml or application/n-triples", http_status=406)
    with _open() as snap:
        triples = data.description(snap, iri)
        if fmt != "html":
            if not triples and not snap.select(f"SELECT ?s WHERE {{ ?s ?p {data.n(iri)} }} LIMIT 1"):
                raise NotFound(f"no such resource: {iri}")
            body = ox.serialize(triples, format=SUFFIXES[fmt], prefixes=_prefixes()) or b""
            resp = Response(body, mimetype=MEDIA_TYPES[fmt].split(";")[0])
            if MEDIA_TYPES[fmt].startswith("text/"):
                resp.charset = "utf-8"
            return resp
        return _html_page(snap, iri, triples)


def _prefixes() -> dict[str, str]:
    return {p: ns for ns, p in data.PREFIX_NAMES.items()} | {"gds": data.GDS}


def _alternates_for(iri: str) -> str:
    base = base_iri()
    if iri.startswith(base) and "#" not in iri:
        return request.script_root + "/" + iri[len(base):]
    return ""


def _html_page(snap: Snapshot, iri: str, triples: list[ox.Triple]) -> Response:
    props = data.properties(triples, iri)
    inverse = data.inverse(snap, iri)
    if not props and not inverse:
        graph = _graph_page(snap, iri)
        if graph is not None:
            return graph
        return _render("resource.html", status=404, iri=iri, kind="missing", props=[], inverse=[], ctx={},
                       title=translate("not-found", g.lang))
    types = data.types_of(props)
    props, inverse = _capped(props), _capped(inverse)
    run = data.run_graph(snap, None)
    ctx: dict[str, Any] = {"run": run}
    kind = "generic"
    if data.DCAT + "Dataset" in types:
        kind = "dataset"
        ctx |= data.dataset_panels(snap, iri, props)
        ctx["findings"] = data.findings(snap, run["graph"], focus=ctx["owned"]) if run else []
    elif data.ELI + "LegalResourceSubdivision" in types:
        kind = "article"
        ctx |= data.article_panels(snap, iri, _state().shapes_graph())
        if run:
            ctx["findings"] = data.findings(snap, run["graph"], {"article": iri}, limit=300)
            ctx["shapes"] = sorted(set(ctx["shapes"]) | {f.shape for f in ctx["findings"] if f.shape})
    elif data.ELI + "LegalResource" in types:
        kind = "regulation"
    elif data.GDS + "Jurisdiction" in types:
        kind = "jurisdiction"
        ctx |= data.jurisdiction_panels(snap, iri)
        with _index(snap) as idx:
            ctx["datasets_total"] = idx.search("", {"jurisdiction": [iri]}, limit=0, facet_limit=0).total
        if run:
            ctx["severities"] = data.counts(snap, run["graph"], "severity", {"jurisdiction": iri})
    elif data.GDS + "Agency" in types or data.ORG + "Organization" in types:
        kind = "agency"
        ctx |= data.agency_panels(snap, iri)
        with _index(snap) as idx:
            res = idx.search("", {"agency": [iri]}, limit=100, facet_limit=0)
        ctx["datasets"], ctx["datasets_total"] = res.hits, res.total
        for h in res.hits:  # titles from the search index: no store lookups for the list
            zh, en = (h.title_zh, "zh"), (h.title_en, "en")
            text, lang = next(((t, lg) for t, lg in ((zh, en) if g.lang == "zh" else (en, zh)) if t), (None, None))
            g.labeller.remember(h.iri, text, lang)
        if run:
            ctx["severities"] = data.counts(snap, run["graph"], "severity", {"agency": iri})
            ctx["findings"] = data.findings(snap, run["graph"], {"agency": iri}, limit=50)
    elif data.DCAT + "Catalog" in types:
        kind = "catalogue"
        ctx |= data.catalogue_panels(snap, iri)
    elif data.GDS + "ValidationRun" in types:
        kind = "run"
        graph = run_of(snap, iri)
        if graph:
            ctx["run"] = graph
            ctx["severities"] = data.counts(snap, graph["graph"], "severity")
            ctx["articles"] = data.counts(snap, graph["graph"], "article")
    _prefetch(props, inverse, ctx, [p for p, _ in props], [p for p, _ in inverse])
    title = _title(iri, props)
    return _render("resource.html", iri=iri, kind=kind, props=props, inverse=inverse, ctx=ctx, title=title,
                   alternates=_alternates_for(iri) or None, types=sorted(types))


HTML_VALUES = 100  # values of one property listed on a page (a catalogue links to up to a million datasets)


def _capped(props: list[tuple[str, list[data.Value]]]) -> list[tuple[str, list[data.Value]]]:
    """Each property's first HTML_VALUES values and a note of how many more (the RDF has them all)."""
    out = []
    for p, vs in props:
        if len(vs) > HTML_VALUES:
            vs = [*vs[:HTML_VALUES], data.Value("literal", f"… (+{len(vs) - HTML_VALUES})")]
        out.append((p, vs))
    return out


def run_of(snap: Snapshot, iri: str) -> dict[str, str] | None:
    for r in data.runs(snap):
        if iri in (r["run"], r["graph"]):
            return r
    return None


def _graph_page(snap: Snapshot, iri: str) -> Response | None:
    """A named graph's page: the validation run it holds, or its size and source."""
    if not iri.startswith(base_iri() + "graph/"):
        return None
    if ox.NamedNode(iri) not in snap.graphs():
        return None
    run = run_of(snap, iri)
    if run is not None:
        return _html_page(snap, run["run"], data.description(snap, run["run"]))
    rows = snap.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {data.n(iri)} {{ ?s ?p ?o }} }}")
    size = int(rows[0]["n"].value) if rows else 0  # type: ignore[attr-defined]
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH {data.n(iri)} {{ ?s ?p ?o }} }} LIMIT 100"
    return _render("resource.html", iri=iri, kind="graph", props=[], inverse=[], title=label(iri),
                   ctx={"size": size, "query": query})


def _title(iri: str, props: list[tuple[str, list[data.Value]]]) -> str:
    return label(iri)


# -- search ------------------------------------------------------------------------------------------
def _filters() -> dict[str, list[str]]:
    return {f: request.args.getlist(f) for f in FACET_NAMES if request.args.getlist(f)}


def search_sparql(text: str, filters: dict[str, list[str]]) -> str:
    lines = ["?d a dcat:Dataset ; dct:title ?title ."]
    for name, values in sorted(filters.items()):
        if name == COMPLIANCE:
            continue
        pattern = FACETS[name].replace("?v", f"?{name.replace('-', '_')}")
        vals = " ".join(data.n(v) for v in values)
        lines.append(f"VALUES ?{name.replace('-', '_')} {{ {vals} }} {pattern} .")
    if text:
        lit = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        lines.append(f'OPTIONAL {{ ?d dct:description ?desc }} FILTER(CONTAINS(LCASE(?title), LCASE("{lit}")) '
                     f'|| CONTAINS(LCASE(COALESCE(?desc, "")), LCASE("{lit}")))')
    return data.SPARQL_PREFIXES + "SELECT DISTINCT ?d ?title WHERE {\n  " + "\n  ".join(lines) + "\n} LIMIT 1000"


@bp.route("/search")
def search() -> Response:
    text = request.args.get("q", "").strip()[:200]
    filters = _filters()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    if page > MAX_SEARCH_PAGE:  # SQLite offsets are 64-bit; nobody pages this far
        raise GovkgError(f"page must be at most {MAX_SEARCH_PAGE}", http_status=400)
    for values in filters.values():
        for v in values:
            if v not in ("violation", "warning", "info", "conforms"):
                try:
                    ox.NamedNode(v)
                except ValueError:
                    raise GovkgError(f"not a facet value: {v}", http_status=400) from None
    with _open() as snap, _index(snap) as idx:
        res = idx.search(text, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        _prefetch([h.iri for h in res.hits], [h.publisher for h in res.hits if h.publisher],
                  [v for vals in res.facets.values() for v, _ in vals], filters)
        links = {}
        for name, vals in res.facets.items():
            for v, _n in vals:
                links[(name, v)] = _toggle(name, v)
        return _render("search.html", text=text, filters=filters, res=res, page=page, page_size=PAGE_SIZE,
                       facet_links=links, query=search_sparql(text, filters),
                       prev_url=_page_url(page - 1) if page > 1 else None,
                       next_url=_page_url(page + 1) if page * PAGE_SIZE < res.total else None)


def _toggle(name: str, value: str) -> str:
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    current = args.get(name, [])
    args[name] = [v for v in current if v != value] if value in current else [*current, value]
    return url_for("browse.search") + "?" + urlencode(args, doseq=True)


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("browse.search") + "?" + urlencode(args, doseq=True)


# -- dashboard and findings ------------------------------------------------------------------------
def _findings_url(run: dict[str, str], **filters: str) -> str:
    return url_for("browse.findings_list", run=run["run"], **filters)


@bp.route("/dashboard")
def dashboard() -> Response:
    with _open() as snap:
        run = data.run_graph(snap, request.args.get("run"))
        if run is None and request.args.get("run"):
            raise NotFound("no such validation run")
        ctx: dict[str, Any] = {"run": run}
        if run is not None:
            gr = run["graph"]
            ctx["severity"] = data.counts(snap, gr, "severity")
            ctx["jurisdiction"] = data.counts(snap, gr, "jurisdiction")
            ctx["agency"] = data.counts(snap, gr, "agency", limit=20)
            ctx["article"] = data.counts(snap, gr, "article", limit=20)
            ctx["trend"] = data.trend(snap)
            ctx["urls"] = {k: _url_maker(run, k) for k in ("severity", "jurisdiction", "agency", "article")}
            ctx["chart"] = trend_chart(ctx["trend"])
            _prefetch([k for k, _ in ctx["jurisdiction"]], [k for k, _ in ctx["agency"]],
                      [k for k, _ in ctx["article"]])
        return _render("dashboard.html", **ctx)


def _url_maker(run: dict[str, str], key: str) -> Any:
    return lambda value: _findings_url(run, **{key: value})


SEVERITY_COLORS = {"violation": "#b3261e", "warning": "#b26a00", "info": "#3b6ea5"}


def trend_chart(trend: list[dict[str, Any]], width: int = 640, height: int = 220) -> dict[str, Any]:
    """Points of the trend lines (one per severity) for the server-rendered SVG."""
    top = max([int(r[s]) for r in trend for s in SEVERITY_COLORS] + [1])
    left, right, y0, y1 = 50, width - 40, height - 30, 20
    step = (right - left) / max(len(trend) - 1, 1)
    series = []
    for name, color in SEVERITY_COLORS.items():
        points = []
        for i, r in enumerate(trend):
            x = round(left + i * step, 1)
            y = round(y0 - (y0 - y1) * int(r[name]) / top, 1)
            points.append({"x": x, "y": y, "xy": f"{x},{y}", "n": r[name], "ended": r["ended"],
                           "url": url_for("browse.findings_list", run=r["run"], severity=name)})
        series.append({"name": name, "color": color, "points": points})
    ticks = [{"x": round(left + i * step, 1), "label": str(r["ended"])[:10]} for i, r in enumerate(trend)]
    return {"width": width, "height": height, "max": top, "series": series, "ticks": ticks}


@bp.route("/findings")
def findings_list() -> Response:
    filters = {k: request.args[k] for k in ("severity", "jurisdiction", "agency", "article", "shape", "focus")
               if request.args.get(k)}
    with _open() as snap:
        run = data.run_graph(snap, request.args.get("run"))
        if run is None:
            raise NotFound("no validation run")
        try:
            rows = data.findings(snap, run["graph"], filters, limit=500)
            total = sum(n for _, n in data.counts(snap, run["graph"], "severity", filters))
            query = data.findings_sparql(run["graph"], filters)
        except ValueError:
            raise GovkgError("a filter is not an IRI", http_status=400) from None
        _prefetch(rows, list(filters.values()))
        return _render("findings.html", run=run, filters=filters, rows=rows, total=total, query=query)


def close(app: Any) -> None:
    st = app.extensions.get("govkg.browse")
    if st is not None:
        st.close()
