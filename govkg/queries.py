"""The library of named SPARQL queries (``queries/*.rq``): headers, typed parameters, safe binding.

Each ``.rq`` file is valid SPARQL that opens with grlc-style header lines, ``#+`` followed by
YAML (the lines are SPARQL comments)::

    #+ summary: Share of conditionally shared resources by jurisdiction
    #+ description: |
    #+   What the query answers, how to read the result.
    #+ tags: [sharing, indicators]
    #+ params:
    #+   - name: jurisdiction
    #+     type: iri
    #+     description: Only resources under this jurisdiction.
    #+     example: https://w3id.org/govkg/id/jurisdiction/210000
    #+ cursor: dataset

A parameter ``name`` is the query variable ``?name``.  Types: ``iri``, ``string``,
``langString`` (``text@lang``), ``integer`` (``minimum``/``maximum``), ``date``
(``YYYY-MM-DD``) and ``enum`` (a code of the govkg concept scheme named by ``scheme``, bound
as the concept's IRI).  ``required``, ``default`` and ``example`` are optional; a parameter
without a value and without a default stays unbound, and the query must then mean "any"
(write its constraint as ``FILTER(!BOUND(?p) || ...)``).

Binding.  A value is checked against its type and turned into an RDF term with pyoxigraph's
constructors (``NamedNode`` rejects invalid IRIs); the terms are joined to the query as a
``VALUES`` block placed first in the query's outermost ``WHERE`` group.  The block is written
by pyoxigraph's own N-Triples serialisation of the terms, so a value can never end a string
or an IRI early: the query's shape is fixed, only the data of one VALUES row changes.  This
one form serves the embedded store and any remote SPARQL 1.1 server alike.  (pyoxigraph's
``substitutions`` argument was tried and rejected: Oxigraph folds ``BOUND(?p)`` of a
substituted variable that no pattern binds to false, and it demands that the variable be
projected.)  Defence in depth: string values with control characters or a backslash followed
by ``u``/``U`` are refused, because SPARQL 1.1 (§19.2) lets a store resolve ``\\u`` escapes
before parsing, and a store that did so naively would read an escaped quote.

Paging.  SELECT queries must end with ``ORDER BY`` (stable pages) and have no top-level
``LIMIT``/``OFFSET``: :meth:`NamedQuery.render` appends them.  A query whose header names a
``cursor`` variable (unique per row, first ``ORDER BY`` key, an IRI or a plain string) is paged
by key: the next page adds ``FILTER(STR(?key) > ?_after)`` to the outermost group, with
``?_after`` bound like any parameter.  Other queries page with ``OFFSET`` up to a hard maximum.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from govkg.errors import GovkgError
from govkg.sparql_text import Token, is_absolute_iri, query_form, tokens
from govkg.vocab import AUTHORITY, SCHEMES

TYPES = ("iri", "string", "langString", "integer", "date", "enum")
RESERVED = frozenset({"limit", "offset", "cursor", "format"})  # request parameters of the API itself
AFTER = "_after"  # the variable a cursor binds
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_STRING = 500  # default maxLength of string values
MAX_CURSOR_KEY = 4096

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")  # a query's name: its file stem
_PARAM = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNICODE_ESCAPE = re.compile(r"\\[uU]")
_HEADER_KEYS = {"summary", "description", "tags", "params", "cursor"}
_PARAM_KEYS = {"name", "type", "description", "required", "default", "example", "scheme", "minimum", "maximum",
               "maxLength"}

# JSON-schema patterns that say what the checks below accept (the OpenAPI document uses them)
IRI_PATTERN = r'^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\u0000-\u0020]*$'
LANG_STRING_PATTERN = r"^[^\u0000-\u001f\u007f]*@[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"
STRING_PATTERN = r"^[^\u0000-\u001f\u007f]*$"


class QueryDefinitionError(GovkgError):
    """A query file whose header or text breaks the rules above (a bug in the library)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message, source=source, exit_code=2, http_status=500)


class ParameterError(GovkgError):
    """A request value that does not fit its parameter: always a 400 with a message saying why."""

    def __init__(self, message: str, name: str | None = None) -> None:
        super().__init__(message, source=name, exit_code=2, http_status=400)

    def __str__(self) -> str:  # the message already names the parameter
        return self.message


# -- parameters -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    required: bool = False
    default: str | None = None
    example: str | None = None
    scheme: str | None = None  # enum: a key of govkg.vocab.SCHEMES
    minimum: int | None = None  # integer
    maximum: int | None = None
    max_length: int = MAX_STRING  # string, langString

    @property
    def codes(self) -> tuple[str, ...]:
        return SCHEMES[self.scheme] if self.scheme else ()

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a request value, or ParameterError saying what is wrong with it."""
        if not isinstance(raw, str):
            raise ParameterError(f"{self.name}: expected one text value", self.name)
        method = getattr(self, "_" + self.type.lower())
        return method(raw)  # type: ignore[no-any-return]

    def _fail(self, what: str, raw: str) -> ParameterError:
        shown = raw if len(raw) <= 80 else raw[:77] + "..."
        return ParameterError(f"{self.name} must be {what}; got {shown!r}", self.name)

    def _iri(self, raw: str) -> ox.NamedNode:
        if len(raw) > MAX_CURSOR_KEY or not is_absolute_iri(raw):
            raise self._fail("an absolute IRI (no spaces, <, >, \", {, }, |, ^, ` or \\)", raw)
        try:
            return ox.NamedNode(raw)
        except ValueError as e:
            raise self._fail(f"a valid IRI ({e})", raw) from None

    def _checked_text(self, text: str, raw: str) -> str:
        if len(text) > self.max_length:
            raise ParameterError(f"{self.name} is longer than {self.max_length} characters", self.name)
        if _CONTROL.search(text):
            raise self._fail("text without control characters", raw)
        if _UNICODE_ESCAPE.search(text):
            raise self._fail("text without a backslash followed by u or U (a SPARQL escape)", raw)
        return text

    def _string(self, raw: str) -> ox.Literal:
        return ox.Literal(self._checked_text(raw, raw))

    def _langstring(self, raw: str) -> ox.Literal:
        text, at, lang = raw.rpartition("@")
        if not at or not _LANG.match(lang):
            raise self._fail("text followed by @ and a language tag, e.g. 人口@zh or population@en", raw)
        try:
            return ox.Literal(self._checked_text(text, raw), language=lang)
        except ValueError as e:
            raise self._fail(f"a valid language-tagged string ({e})", raw) from None

    def _integer(self, raw: str) -> ox.Literal:
        if not _INTEGER.match(raw.strip()):
            raise self._fail("an integer", raw)
        value = int(raw)
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"{self.name} must be at least {self.minimum}; got {value}", self.name)
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{self.name} must be at most {self.maximum}; got {value}", self.name)
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))

    def _date(self, raw: str) -> ox.Literal:
        try:
            if not _DATE.match(raw):
                raise ValueError
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise self._fail("a date written YYYY-MM-DD", raw) from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))

    def _enum(self, raw: str) -> ox.NamedNode:
        prefix = f"{AUTHORITY}{self.scheme}/"
        code = raw[len(prefix):] if raw.startswith(prefix) else raw
        if code not in self.codes:
            raise self._fail(f"one of {', '.join(self.codes)} (scheme {self.scheme})", raw)
        return ox.NamedNode(prefix + code)

    def json_schema(self) -> dict[str, object]:
        """The OpenAPI (JSON) schema of the parameter's value."""
        s: dict[str, object]
        if self.type == "iri":
            s = {"type": "string", "format": "iri", "pattern": IRI_PATTERN, "maxLength": MAX_CURSOR_KEY}
        elif self.type == "string":
            s = {"type": "string", "maxLength": self.max_length, "pattern": STRING_PATTERN}
        elif self.type == "langString":
            s = {"type": "string", "pattern": LANG_STRING_PATTERN, "maxLength": self.max_length + 40}
        elif self.type == "integer":
            s = {"type": "integer"}
            if self.minimum is not None:
                s["minimum"] = self.minimum
            if self.maximum is not None:
                s["maximum"] = self.maximum
        elif self.type == "date":
            s = {"type": "string", "format": "date"}
        else:
            s = {"type": "string", "enum": list(self.codes)}
        if self.default is not None:
            s["default"] = int(self.default) if self.type == "integer" else self.default
        return s


def _param(spec: object, source: str) -> Param:
    if not isinstance(spec, dict):
        raise QueryDefinitionError("each entry of params must be a mapping", source)
    unknown = set(spec) - _PARAM_KEYS
    if unknown:
        raise QueryDefinitionError(f"unknown parameter keys {sorted(unknown)}", source)
    name = str(spec.get("name", ""))
    if not _PARAM.match(name) or name in RESERVED:
        raise QueryDefinitionError(f"bad parameter name {name!r} (lower case, not {sorted(RESERVED)})", source)
    ptype = spec.get("type")
    if ptype not in TYPES:
        raise QueryDefinitionError(f"parameter {name}: type must be one of {', '.join(TYPES)}", source)
    scheme = spec.get("scheme")
    if (ptype == "enum") != (scheme is not None):
        raise QueryDefinitionError(f"parameter {name}: an enum names its scheme, other types none", source)
    if scheme is not None and scheme not in SCHEMES:
        raise QueryDefinitionError(f"parameter {name}: unknown scheme {scheme!r}", source)

    def text(key: str) -> str | None:
        v = spec.get(key)
        return None if v is None else str(v)

    def integer(key: str) -> int | None:
        v = spec.get(key)
        if v is not None and not isinstance(v, int):
            raise QueryDefinitionError(f"parameter {name}: {key} must be an integer", source)
        return v

    p = Param(
        name=name,
        type=str(ptype),
        description=" ".join(str(spec.get("description") or "").split()),
        required=bool(spec.get("required", False)),
        default=text("default"),
        example=text("example"),
        scheme=str(scheme) if scheme else None,
        minimum=integer("minimum"),
        maximum=integer("maximum"),
        max_length=integer("maxLength") or MAX_STRING,
    )
    if p.required and p.default is not None:
        raise QueryDefinitionError(f"parameter {name}: a required parameter has no default", source)
    for key in ("default", "example"):
        value = getattr(p, key)
        if value is not None:
            try:
                p.term(value)
            except ParameterError as e:
                raise QueryDefinitionError(f"parameter {name}: {key} is invalid: {e.message}", source) from None
    return p


# -- the query --------------------------------------------------------------------------------
@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    summary: str
    description: str
    form: str  # select, ask or graph (CONSTRUCT/DESCRIBE)
    params: tuple[Param, ...]
    tags: tuple[str, ...] = ()
    cursor: str | None = None
    columns: tuple[str, ...] | None = None  # SELECT's projection (None for SELECT *)
    source: str = ""
    _open: int = 0  # offset of the '{' that opens the outermost WHERE group
    _close: int = 0  # offset of the '}' that closes it
    _by_name: dict[str, Param] = field(default_factory=dict, compare=False, repr=False)

    @property
    def paged(self) -> bool:
        return self.form == "select"

    def param(self, name: str) -> Param | None:
        return self._by_name.get(name)

    def bind(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Terms for the given raw values plus defaults; ParameterError for unknown, missing or bad ones."""
        unknown = sorted(set(values) - set(self._by_name))
        if unknown:
            known = ", ".join(self._by_name) or "none"
            raise ParameterError(f"unknown parameter {unknown[0]!r} for query {self.name} (parameters: {known})",
                                 unknown[0])
        terms: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(f"{p.name} is required (e.g. {p.name}={p.example or '...'})", p.name)
                raw = p.default
            if raw is not None:
                terms[p.name] = p.term(raw)
        return terms

    def render(
        self,
        terms: Mapping[str, ox.NamedNode | ox.Literal],
        *,
        limit: int | None = None,
        offset: int | None = None,
        after: str | None = None,
    ) -> str:
        """The query text with the terms joined as a VALUES block, a cursor filter, LIMIT and OFFSET."""
        bound = {k: v for k, v in terms.items() if k in self._by_name}
        if after is not None:
            if self.cursor is None:
                raise ParameterError(f"query {self.name} is not paged by cursor", "cursor")
            if len(after) > MAX_CURSOR_KEY or _CONTROL.search(after) or _UNICODE_ESCAPE.search(after):
                raise ParameterError("the cursor's key is not one this query wrote", "cursor")
            bound[AFTER] = ox.Literal(after)
        head = self.text[: self._open + 1]
        body = self.text[self._open + 1 : self._close]
        tail = self.text[self._close :]
        values = ""
        if bound:
            names = " ".join(f"?{k}" for k in bound)
            row = " ".join(str(t) for t in bound.values())
            values = f"\n  VALUES ({names}) {{ ({row}) }}\n"
        cursor_filter = f"\n  FILTER(STR(?{self.cursor}) > ?{AFTER})\n" if after is not None else ""
        out = head + values + body + cursor_filter + tail
        if limit is not None:
            out = out.rstrip() + f"\nLIMIT {int(limit)}"
        if offset:
            out += f"\nOFFSET {int(offset)}"
        return out + ("\n" if not out.endswith("\n") else "")

    def example_values(self) -> dict[str, str]:
        return {p.name: p.example for p in self.params if p.example is not None}


def _header(text: str, source: str) -> dict[str, object]:
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if not stripped.startswith("#+"):
            break
        lines.append(stripped[2:].removeprefix(" "))
    if not lines:
        raise QueryDefinitionError("no #+ header (summary, description, tags, params)", source)
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as e:
        raise QueryDefinitionError(f"the header is not valid YAML: {e}", source) from None
    if not isinstance(data, dict):
        raise QueryDefinitionError("the header must be a YAML mapping", source)
    unknown = set(data) - _HEADER_KEYS
    if unknown:
        raise QueryDefinitionError(f"unknown header keys {sorted(unknown)}", source)
    return data


def _reflow(text: str) -> str:
    """Paragraphs (blank-line separated) each on one line: header lines are wrapped for the file."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _where_group(toks: list[Token], form: str, source: str) -> tuple[Token, Token, int]:
    """The tokens that open and close the outermost WHERE group, and the index after it."""
    depth = 0
    open_i: int | None = None
    seen_where = False
    for i, tok in enumerate(toks):
        if tok.keyword == "WHERE" and depth == 0:
            seen_where = True
        if tok.kind == "punct" and tok.text == "{":
            if depth == 0 and open_i is None and (seen_where or form == "select" or form == "ask"):
                open_i = i
            depth += 1
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
            if depth == 0 and open_i is not None:
                return toks[open_i], tok, i + 1
    raise QueryDefinitionError("cannot find the query's WHERE { ... } group (CONSTRUCT needs an explicit "
                               "template and WHERE)", source)


def _projection(toks: list[Token]) -> tuple[str, ...] | None:
    cols: list[str] = []
    depth = 0
    started = False
    for i, tok in enumerate(toks):
        if not started:
            started = tok.keyword == "SELECT"
            continue
        if tok.keyword == "WHERE" or (tok.text == "{" and depth == 0):
            break
        if tok.text == "*" and depth == 0:
            return None
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.kind == "var" and (depth == 0 or (i > 0 and toks[i - 1].keyword == "AS")):
            cols.append(tok.text[1:])
    return tuple(cols)


def parse_query(text: str, name: str, source: str = "") -> NamedQuery:
    """A NamedQuery from the text of a .rq file; QueryDefinitionError if it breaks the rules."""
    source = source or name
    if not _NAME.match(name):
        raise QueryDefinitionError(f"query name {name!r}: lower-case words joined by hyphens", source)
    header = _header(text, source)
    summary = " ".join(str(header.get("summary") or "").split())
    if not summary:
        raise QueryDefinitionError("the header needs a summary", source)
    form = query_form(text)
    if form is None:
        raise QueryDefinitionError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)", source)
    raw_params = header.get("params") or []
    if not isinstance(raw_params, list):
        raise QueryDefinitionError("params must be a list", source)
    params = tuple(_param(p, source) for p in raw_params)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryDefinitionError("parameter names must be unique", source)
    toks = list(tokens(text))
    variables = {t.text[1:] for t in toks if t.kind == "var"}
    for p in params:
        if p.name not in variables:
            raise QueryDefinitionError(f"parameter {p.name} is not a variable of the query", source)
    if AFTER in variables:
        raise QueryDefinitionError(f"?{AFTER} is reserved for cursors", source)
    construct = next((i for i, t in enumerate(toks) if t.keyword == "CONSTRUCT"), None)
    if construct is not None and construct + 1 < len(toks) and toks[construct + 1].keyword == "WHERE":
        raise QueryDefinitionError("CONSTRUCT needs an explicit template and WHERE (not CONSTRUCT WHERE)", source)
    opening, closing, after_i = _where_group(toks, form, source)
    rest = toks[after_i:]
    top_keywords = [t.keyword for t in rest if t.keyword]
    if form == "select":
        if "ORDER" not in top_keywords:
            raise QueryDefinitionError("a SELECT query must end with ORDER BY, so that its pages are stable", source)
        if "LIMIT" in top_keywords or "OFFSET" in top_keywords:
            raise QueryDefinitionError("no top-level LIMIT or OFFSET: the API pages the query", source)
        if "VALUES" in top_keywords:
            raise QueryDefinitionError("no trailing VALUES clause", source)
    cursor = header.get("cursor")
    if cursor is not None:
        cursor = str(cursor)
        if form != "select" or cursor not in variables:
            raise QueryDefinitionError(f"cursor {cursor!r} must be a variable of a SELECT query", source)
        at = next(i for i, t in enumerate(rest) if t.keyword == "ORDER")
        order = [t for t in rest[at:] if t.keyword not in ("ORDER", "BY", "ASC", "STR") and t.text not in "()"]
        if not order or order[0].text[1:] != cursor:
            raise QueryDefinitionError(f"a cursor query is ordered by ?{cursor} (ascending) first", source)
    tags = header.get("tags") or []
    if not isinstance(tags, list):
        tags = [tags]
    return NamedQuery(
        name=name,
        text=text,
        summary=summary,
        description=_reflow(str(header.get("description") or "")),
        form=form,
        params=params,
        tags=tuple(str(t) for t in tags),
        cursor=cursor,
        columns=_projection(toks) if form == "select" else None,
        source=source,
        _open=opening.start,
        _close=closing.start,
        _by_name={p.name: p for p in params},
    )


def load_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryDefinitionError(f"cannot read the query: {e}", str(path)) from None
    return parse_query(text, path.stem, str(path))


# -- the library ------------------------------------------------------------------------------
class QueryLibrary:
    """Every query of a folder, by name, in name order."""

    def __init__(self, queries: Iterable[NamedQuery]) -> None:
        self._queries = {q.name: q for q in sorted(queries, key=lambda q: q.name)}

    @classmethod
    def from_folder(cls, directory: Path | None = None) -> QueryLibrary:
        if directory is None:
            from govkg.packaged import folder

            directory = folder("queries")
        return cls(load_file(p) for p in sorted(Path(directory).glob("*.rq")))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> NamedQuery | None:
        return self._queries.get(name)

    def names(self) -> list[str]:
        return list(self._queries)


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``key=value`` strings (the CLI's ``--param``) as a mapping; a key given twice is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ParameterError(f"--param takes key=value, not {pair!r}")
        if key in out:
            raise ParameterError(f"parameter {key} given twice", key)
        out[key] = value
    return out
