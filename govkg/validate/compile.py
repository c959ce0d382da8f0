"""Compile SHACL shapes to SPARQL SELECT queries that run on the whole store at once.

pyshacl is the reference: it validates one rdflib graph, and its time grows with the
graph (PITFALLS.md: about 20 minutes at 100k datasets).  Each check compiled here finds
all focus nodes that break one constraint of one shape in a single query, so Oxigraph
does the join work.  ``tests/validate/test_compiler_equivalence.py`` proves the two
engines give identical findings construct by construct, ``tests/validate/test_demo_pyshacl.py``
on the demo graph.

The supported subset is what govkg's shapes use (a shape outside it is refused at
compile time with a clear error, never silently skipped):

* targets: ``sh:targetClass`` (with rdfs:subClassOf*), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, SHACL-AF ``sh:SPARQLTarget`` (``sh:select``)
* paths: predicate, inverse, sequence, alternative, zero-or-more, one-or-more, zero-or-one
* constraints: ``sh:minCount`` ``sh:maxCount`` ``sh:hasValue`` ``sh:in`` ``sh:class``
  ``sh:datatype`` ``sh:nodeKind`` ``sh:pattern`` ``sh:flags`` ``sh:minInclusive``
  ``sh:maxInclusive`` ``sh:minExclusive`` ``sh:maxExclusive`` ``sh:minLength``
  ``sh:maxLength`` ``sh:lessThan`` ``sh:lessThanOrEquals`` ``sh:equals`` ``sh:disjoint``
  ``sh:languageIn`` ``sh:node`` ``sh:not`` ``sh:and`` ``sh:or`` ``sh:xone``
  ``sh:qualifiedValueShape`` (with qualifiedMinCount 1 or qualifiedMaxCount 0) and
  SHACL-SPARQL ``sh:sparql`` SELECT constraints on top-level shapes.

Each :class:`Check` reports rows ``(?this, ?value)``: the focus node and, where SHACL
reports one, the value node.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from govkg.vocab import SH


class ShapeCompileError(ValueError):
    pass


C = SH  # constraint component IRIs are sh:<Name>ConstraintComponent


def component(name: str) -> URIRef:
    return URIRef(f"{SH}{name}ConstraintComponent")


@dataclass(frozen=True)
class Check:
    node_shape: URIRef  # the top-level node shape whose targets are checked
    shape: Node  # the shape that holds the constraint (sh:sourceShape)
    component: URIRef  # sh:sourceConstraintComponent
    path: Node | None  # sh:resultPath (an rdflib path node), None for node-level constraints
    severity: URIRef
    query: str  # SELECT ?this ?value WHERE { ... }; a "#FOCUS#" marker where focus VALUES go
    constraint: Node | None = None  # sh:sparql constraint node, for its messages
    target: str = ""  # the target pattern binding ?this (counted by engine.count_focus_nodes)
    prefix: str = ""  # the PREFIX declarations the target pattern needs

    def unrestricted(self) -> str:
        return self.query.replace("#FOCUS#", "")


@dataclass
class _Ctx:
    shapes: Graph
    counter: itertools.count = field(default_factory=lambda: itertools.count())  # type: ignore[type-arg]

    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.counter)}"


def _term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        return t.n3()
    raise ShapeCompileError(f"blank node {t} cannot appear as a constant in a query")


def _list(g: Graph, head: Node) -> list[Node]:
    return list(Collection(g, head))


def path_sparql(g: Graph, p: Node) -> str:
    if isinstance(p, URIRef):
        return f"<{p}>"
    if isinstance(p, BNode):
        if (p, RDF.first, None) in g:
            return "(" + "/".join(path_sparql(g, x) for x in _list(g, p)) + ")"
        for pred, fmt in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = g.value(p, pred)
            if inner is not None:
                return "(" + fmt.format(path_sparql(g, inner)) + ")"
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(path_sparql(g, x) for x in _list(g, alt)) + ")"
    raise ShapeCompileError(f"unsupported path {p!r}")


_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
}

# constraint parameters that act on each value node, in a fixed order
_VALUE_PARAMS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.languageIn,
    SH.node,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
)
_COMPONENT_NAMES = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH["in"]: "In",
    SH.pattern: "Pattern",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.languageIn: "LanguageIn",
    SH.node: "Node",
    SH["not"]: "Not",
    SH["and"]: "And",
    SH["or"]: "Or",
    SH.xone: "Xone",
}
_KNOWN = set(_VALUE_PARAMS) | {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.property,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
    SH.flags,
    SH.sparql,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.closed,
    SH.ignoredProperties,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}


def _value_cond(ctx: _Ctx, v: str, param: URIRef, value: Node, shape: Node) -> str:
    g = ctx.shapes
    if param == SH["class"]:
        return f"EXISTS {{ {v} a/<{RDFS.subClassOf}>* {_term(value)} }}"
    if param == SH.datatype:
        if value == RDF.langString:
            return f'(isLiteral({v}) && lang({v}) != "")'
        return f'(isLiteral({v}) && datatype({v}) = {_term(value)} && lang({v}) = "")'
    if param == SH.nodeKind:
        if value not in _NODE_KINDS:
            raise ShapeCompileError(f"unknown sh:nodeKind {value}")
        return _NODE_KINDS[value].format(v=v)  # type: ignore[index]
    if param == SH["in"]:
        members = _list(g, value)
        if not members:
            return "false"
        return "(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) + ")"
    if param == SH.pattern:
        flags = g.value(shape, SH.flags)
        pat = Literal(str(value)).n3()
        fl = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        return f"(!isBlank({v}) && REGEX(STR({v}), {pat}{fl}))"
    ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
    if param in ops:
        return f"COALESCE({v} {ops[param]} {_term(value)}, false)"  # type: ignore[index]
    if param == SH.minLength:
        return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(value)})"  # type: ignore[arg-type]
    if param == SH.maxLength:
        return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(value)})"  # type: ignore[arg-type]
    if param == SH.languageIn:
        langs = _list(g, value)
        return "(" + " || ".join(f"langMatches(lang({v}), {Literal(str(x)).n3()})" for x in langs) + ")"
    if param == SH.node:
        return conforms(ctx, v, value)
    if param == SH["not"]:
        return f"!({conforms(ctx, v, value)})"
    if param == SH["and"]:
        return "(" + " && ".join(conforms(ctx, v, s) for s in _list(g, value)) + ")"
    if param == SH["or"]:
        return "(" + " || ".join(conforms(ctx, v, s) for s in _list(g, value)) + ")"
    if param == SH.xone:
        parts = [f"IF({conforms(ctx, v, s)}, 1, 0)" for s in _list(g, value)]
        return "((" + " + ".join(parts) + ") = 1)"
    raise ShapeCompileError(f"unsupported constraint {param}")


def _exists_path(ctx: _Ctx, x: str, p: Node, v: str, cond: str = "") -> str:
    """``EXISTS { x <path> v FILTER(cond) }``, written so that Oxigraph starts from ``x``.

    Oxigraph plans the pattern inside EXISTS without knowing which variables the outer
    row binds: a sequence path, or a join whose first pattern does not start at ``x``, is
    then evaluated over the whole graph for every row (a 10k-dataset check that takes
    0.1 s as a chain took over 40 s as a path).  So a sequence becomes a chain of nested
    single-pattern EXISTS, an alternative a disjunction, an inverse step a pattern with
    ``x`` as object."""
    g = ctx.shapes
    filt = f" FILTER({cond})" if cond else ""
    if isinstance(p, URIRef):
        return f"EXISTS {{ {x} <{p}> {v}{filt} }}"
    if isinstance(p, BNode):
        if (p, RDF.first, None) in g:
            steps = _list(g, p)
            if len(steps) == 1:
                return _exists_path(ctx, x, steps[0], v, cond)
            m = ctx.var("m")
            rest = _exists_chain(ctx, m, steps[1:], v, cond)
            return _exists_path(ctx, x, steps[0], m, rest)
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + " || ".join(_exists_path(ctx, x, a, v, cond) for a in _list(g, alt)) + ")"
        inv = g.value(p, SH.inversePath)
        if isinstance(inv, URIRef):
            return f"EXISTS {{ {v} <{inv}> {x}{filt} }}"
    return f"EXISTS {{ {x} {path_sparql(g, p)} {v}{filt} }}"


def _exists_chain(ctx: _Ctx, x: str, steps: list[Node], v: str, cond: str) -> str:
    if len(steps) == 1:
        return _exists_path(ctx, x, steps[0], v, cond)
    m = ctx.var("m")
    return _exists_path(ctx, x, steps[0], m, _exists_chain(ctx, m, steps[1:], v, cond))


def _distinct_values(ctx: _Ctx, x: str, path: str, n: int) -> tuple[str, str]:
    vs = [ctx.var() for _ in range(n)]
    pattern = " ".join(f"{x} {path} {v} ." for v in vs)
    filt = " && ".join(f"{a} != {b}" for a, b in itertools.combinations(vs, 2))
    return pattern, (f"FILTER({filt})" if filt else "")


def _check_known(ctx: _Ctx, shape: Node) -> None:
    for p in ctx.shapes.predicates(shape, None):
        if p not in _KNOWN and str(p).startswith(str(SH)):
            raise ShapeCompileError(f"shape {shape}: {p} is outside the compiled subset")


def _property_ok(ctx: _Ctx, x: str, ps: Node) -> str:
    """A SPARQL expression: node x satisfies property shape ps."""
    g = ctx.shapes
    _check_known(ctx, ps)
    if g.value(ps, SH.sparql) is not None:
        raise ShapeCompileError(f"{ps}: sh:sparql inside a nested shape is not supported")
    path_node = g.value(ps, SH.path)
    if path_node is None:
        raise ShapeCompileError(f"property shape {ps} has no sh:path")
    path = path_sparql(g, path_node)
    parts: list[str] = []
    mn = g.value(ps, SH.minCount)
    if mn is not None and int(mn) == 1:  # type: ignore[arg-type]
        parts.append(_exists_path(ctx, x, path_node, ctx.var()))
    elif mn is not None and int(mn) > 1:  # type: ignore[arg-type]
        pat, filt = _distinct_values(ctx, x, path, int(mn))  # type: ignore[arg-type]
        parts.append(f"EXISTS {{ {pat} {filt} }}")
    mx = g.value(ps, SH.maxCount)
    if mx is not None:
        pat, filt = _distinct_values(ctx, x, path, int(mx) + 1)  # type: ignore[arg-type]
        parts.append(f"NOT EXISTS {{ {pat} {filt} }}")
    for hv in g.objects(ps, SH.hasValue):
        v = ctx.var()
        parts.append(_exists_path(ctx, x, path_node, v, f"sameTerm({v}, {_term(hv)})"))
    for param in _VALUE_PARAMS:
        for value in g.objects(ps, param):
            v = ctx.var()
            parts.append("!" + _exists_path(ctx, x, path_node, v, f"!({_value_cond(ctx, v, param, value, ps)})"))
    q = g.value(ps, SH.qualifiedValueShape)
    if q is not None:
        v = ctx.var()
        qmin = g.value(ps, SH.qualifiedMinCount)
        qmax = g.value(ps, SH.qualifiedMaxCount)
        if qmin is not None and int(qmin) == 1:  # type: ignore[arg-type]
            parts.append(_exists_path(ctx, x, path_node, v, conforms(ctx, v, q)))
        elif qmin is not None and int(qmin) > 1:  # type: ignore[arg-type]
            raise ShapeCompileError(f"{ps}: qualifiedMinCount above 1 is not supported")
        if qmax is not None:
            if int(qmax) != 0:  # type: ignore[arg-type]
                raise ShapeCompileError(f"{ps}: qualifiedMaxCount other than 0 is not supported")
            parts.append("!" + _exists_path(ctx, x, path_node, v, conforms(ctx, v, q)))
    for pred, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for other in g.objects(ps, pred):
            a, b = ctx.var(), ctx.var()
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} . {x} {_term(other)} {b} FILTER(!COALESCE({a} {op} {b}, false)) }}"
            )
    for other in g.objects(ps, SH.equals):
        a = ctx.var()
        parts.append(f"NOT EXISTS {{ {x} {path} {a} FILTER NOT EXISTS {{ {x} {_term(other)} {a} }} }}")
        parts.append(f"NOT EXISTS {{ {x} {_term(other)} {a} FILTER NOT EXISTS {{ {x} {path} {a} }} }}")
    for other in g.objects(ps, SH.disjoint):
        a = ctx.var()
        parts.append(f"NOT EXISTS {{ {x} {path} {a} . {x} {_term(other)} {a} }}")
    return "(" + " && ".join(parts) + ")" if parts else "true"


def conforms(ctx: _Ctx, x: str, shape: Node) -> str:
    """A SPARQL expression: node x conforms to ``shape`` (node or property shape)."""
    g = ctx.shapes
    _check_known(ctx, shape)
    if g.value(shape, SH.path) is not None:
        return _property_ok(ctx, x, shape)
    if g.value(shape, SH.sparql) is not None:
        raise ShapeCompileError(f"{shape}: sh:sparql inside a nested shape is not supported")
    parts: list[str] = []
    for hv in g.objects(shape, SH.hasValue):
        parts.append(f"sameTerm({x}, {_term(hv)})")
    for param in _VALUE_PARAMS:
        for value in g.objects(shape, param):
            parts.append(_value_cond(ctx, x, param, value, shape))
    for ps in g.objects(shape, SH.property):
        parts.append(_property_ok(ctx, x, ps))
    return "(" + " && ".join(parts) + ")" if parts else "true"


# -- hash-join friendly patterns ------------------------------------------------------------
# Oxigraph on disk pays tens of microseconds for every point lookup and very little per row
# of an index scan, and it plans each sub-SELECT on its own and hash-joins the results.  So
# checks are written as joins of scans: a sequence path becomes a join of one sub-SELECT
# per step, and "the value conforms to a shape" becomes a join with (or MINUS of) the set of
# all nodes that conform, where that set can be written as a positive pattern.


def _scan_vars(*terms: str) -> str:
    return " ".join(dict.fromkeys(t for t in terms if t.startswith("?")))


def path_scan(ctx: _Ctx, p: Node, s: str, o: str) -> str:
    """A group pattern matching ``s <path> o``, evaluated as scans and hash joins."""
    g = ctx.shapes
    if isinstance(p, URIRef):
        return f"{s} <{p}> {o} ."
    if isinstance(p, BNode):
        if (p, RDF.first, None) in g:
            steps = _list(g, p)
            if len(steps) == 1:
                return path_scan(ctx, steps[0], s, o)
            ends = [s] + [ctx.var("m") for _ in steps[1:]] + [o]
            parts = []
            for i, step in enumerate(steps):
                a, b = ends[i], ends[i + 1]
                parts.append(f"{{ SELECT {_scan_vars(a, b)} WHERE {{ {path_scan(ctx, step, a, b)} }} }}")
            return " ".join(parts)
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return " UNION ".join("{ " + path_scan(ctx, a, s, o) + " }" for a in _list(g, alt))
        inv = g.value(p, SH.inversePath)
        if isinstance(inv, URIRef):
            return f"{o} <{inv}> {s} ."
    return f"{s} {path_sparql(g, p)} {o} ."


_METADATA = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue, SH.deactivated,
             RDF.type, RDFS.label, RDFS.comment}


def positive(ctx: _Ctx, shape: Node, v: str) -> str | None:
    """A pattern binding ``v`` to exactly the nodes that conform to ``shape``, when the
    shape is a conjunction and disjunction of existential tests (a path with sh:minCount 1
    or sh:hasValue, sh:class, sh:node, sh:in and sh:hasValue on the node); else None."""
    g = ctx.shapes
    parts: list[str] = []
    path = g.value(shape, SH.path)
    for pred, obj in g.predicate_objects(shape):
        if pred in _METADATA or not str(pred).startswith(str(SH)) or pred == SH.path:
            continue
        if path is not None:
            if pred == SH.minCount and int(obj) == 1:  # type: ignore[arg-type]
                parts.append(path_scan(ctx, path, v, ctx.var()))
            elif pred == SH.hasValue:
                parts.append(path_scan(ctx, path, v, _term(obj)))
            else:
                return None
            continue
        part = positive_param(ctx, pred, obj, v)
        if part is None:
            return None
        parts.append(part)
    if not parts:
        return None
    return " ".join("{ " + x + " }" for x in parts)


def positive_param(ctx: _Ctx, param: Node, value: Node, v: str) -> str | None:
    """As :func:`positive`, for one constraint parameter of a node shape."""
    g = ctx.shapes
    if param == SH["class"]:
        return f"{v} a/<{RDFS.subClassOf}>* {_term(value)} ."
    if param == SH.hasValue:
        return f"VALUES {v} {{ {_term(value)} }}"
    if param == SH["in"]:
        return f"VALUES {v} {{ {' '.join(_term(x) for x in _list(g, value))} }}"
    if param in (SH.node, SH.property):
        return positive(ctx, value, v)
    if param == SH["and"]:
        parts = [positive(ctx, x, v) for x in _list(g, value)]
        return None if any(x is None for x in parts) else " ".join("{ " + x + " }" for x in parts)  # type: ignore[operator]
    if param == SH["or"]:
        parts = [positive(ctx, x, v) for x in _list(g, value)]
        return None if any(x is None for x in parts) else " UNION ".join("{ " + x + " }" for x in parts)  # type: ignore[operator]
    return None


def _conforming(ctx: _Ctx, param: Node, value: Node, v: str) -> tuple[str, bool] | None:
    """For a value-type parameter whose test needs lookups: (the pattern of the nodes that
    pass the test, True) or, for sh:not, (the pattern of the nodes that fail it, False)."""
    if param == SH["not"]:
        pat = positive(ctx, value, v)
        return (pat, False) if pat is not None else None
    if param in (SH["class"], SH.node, SH["and"], SH["or"]):
        pat = positive_param(ctx, param, value, v)
        return (pat, True) if pat is not None else None
    return None


# -- top level ------------------------------------------------------------------------------
def _strip_prefixes(select: str) -> tuple[str, str]:
    prefixes = "\n".join(m.group(0) for m in re.finditer(r"(?im)^\s*PREFIX\s+[^\n]+$", select))
    body = re.sub(r"(?im)^\s*PREFIX\s+[^\n]+$", "", select)
    return prefixes, body


def prefixes_of(g: Graph) -> str:
    """PREFIX declarations from every sh:declare in the shapes graph."""
    out = {}
    for decl in g.objects(None, SH.declare):
        p, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
        if p is not None and ns is not None:
            out[str(p)] = str(ns)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(out.items()))


def target_pattern(g: Graph, shape: Node) -> str:
    alternatives: list[str] = []
    for c in g.objects(shape, SH.targetClass):
        alternatives.append(f"{{ ?this a/<{RDFS.subClassOf}>* {_term(c)} }}")
    nodes = list(g.objects(shape, SH.targetNode))
    if nodes:
        alternatives.append("{ VALUES ?this { " + " ".join(_term(n) for n in nodes) + " } }")
    for p in g.objects(shape, SH.targetSubjectsOf):
        alternatives.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?_t }} }}")
    for p in g.objects(shape, SH.targetObjectsOf):
        alternatives.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_t {_term(p)} ?this }} }}")
    for t in g.objects(shape, SH.target):
        select = g.value(t, SH.select)
        if select is None:
            raise ShapeCompileError(f"{shape}: only SPARQL targets (sh:select) are supported in sh:target")
        _, body = _strip_prefixes(str(select))
        alternatives.append("{ " + body.strip() + " }")
    if not alternatives:
        return ""
    # one sub-SELECT: Oxigraph evaluates it once and hash-joins it with the check
    return "SELECT DISTINCT ?this WHERE { " + " UNION ".join(alternatives) + " }"


def _severity(g: Graph, shape: Node) -> URIRef:
    s = g.value(shape, SH.severity)
    return s if isinstance(s, URIRef) else SH.Violation


def _select(prefix: str, target: str, body: str, value: bool = True, group: str = "") -> str:
    proj = "?this ?value" if value else "?this"
    return f"{prefix}SELECT DISTINCT {proj} WHERE {{\n  #FOCUS#\n  {{ {target} }}\n  {body}\n}}{group}"


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)
_FILTER_CALL = re.compile(r"FILTER\s*\(", re.IGNORECASE)
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _closing(text: str, start: int, open_: str, close: str) -> int:
    """Index of the bracket that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i
    raise ShapeCompileError(f"unbalanced {open_}{close} in a SPARQL constraint")


def _without_filters(block: str) -> tuple[str, str]:
    """(the block without its FILTER(...) expressions, the expressions)."""
    kept, filters, i = [], [], 0
    for m in _FILTER_CALL.finditer(block):
        if m.start() < i:
            continue
        end = _closing(block, m.end() - 1, "(", ")")
        kept.append(block[i : m.start()])
        filters.append(block[m.end() - 1 : end + 1])
        i = end + 1
    kept.append(block[i:])
    return "".join(kept), "".join(filters)


def scans_of_bgp(block: str, prefixes: str, fresh: Callable[[], str]) -> str | None:
    """A basic graph pattern (with filters) as a join of one sub-SELECT per triple pattern.

    Oxigraph evaluates a pattern inside MINUS on its own, joining triple patterns by index
    lookups: one point lookup per row and pattern, which on disk is slow at a million
    records.  Each triple pattern as its own sub-SELECT is a scan, and Oxigraph hash-joins
    sub-SELECTs.  Sequence paths are split into their steps, inverse steps swapped.
    Returns None when the block is not a plain basic graph pattern."""
    from rdflib.paths import InvPath, SequencePath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import Variable

    try:
        algebra = translateQuery(parseQuery(prefixes + "SELECT * WHERE { " + block + " }")).algebra
    except Exception:  # noqa: BLE001 - anything rdflib cannot read is left as written
        return None
    node = algebra.p.p  # SelectQuery > Project > (Filter >) BGP
    while getattr(node, "name", "") == "Filter":
        node = node.p
    if getattr(node, "name", "") != "BGP":
        return None

    def n3(t: object) -> str:
        return t.n3() if not isinstance(t, Variable) else f"?{t}"  # type: ignore[attr-defined]

    triples: list[tuple[object, object, object]] = []

    def add(s: object, p: object, o: object) -> None:
        if isinstance(p, InvPath) and isinstance(p.arg, URIRef):
            add(o, p.arg, s)
        elif isinstance(p, SequencePath) and all(isinstance(x, URIRef | InvPath) for x in p.args):
            ends = [s] + [Variable(fresh()[1:]) for _ in p.args[1:]] + [o]
            for i, step in enumerate(p.args):
                add(ends[i], step, ends[i + 1])
        else:
            triples.append((s, p, o))

    for t in node.triples:
        add(*t)
    # join order: from ?this outwards, each pattern sharing a variable with those before it
    # (rdflib hands the triples back sorted, and a join without a shared variable is a
    # cartesian product)
    ordered: list[tuple[object, object, object]] = []
    bound = {Variable("this")}
    todo = list(triples)
    while todo:
        nxt = next((t for t in todo if bound & {x for x in t if isinstance(x, Variable)}), todo[0])
        todo.remove(nxt)
        ordered.append(nxt)
        bound |= {x for x in nxt if isinstance(x, Variable)}
    parts = []
    for t in ordered:
        names = " ".join(dict.fromkeys(f"?{x}" for x in t if isinstance(x, Variable)))
        pattern = " ".join(n3(x) for x in t)
        parts.append(f"{{ SELECT {names} WHERE {{ {pattern} }} }}" if names else f"{pattern} .")
    _, filters = _without_filters(block)
    return " ".join(parts) + (" " + " ".join(f"FILTER{f}" for f in _split_filters(filters)) if filters else "")


def _split_filters(text: str) -> list[str]:
    """'(a)(b)' -> ['(a)', '(b)']"""
    out, i = [], 0
    while i < len(text):
        if text[i] == "(":
            end = _closing(text, i, "(", ")")
            out.append(text[i : end + 1])
            i = end + 1
        else:
            i += 1
    return out


def not_exists_as_minus(body: str, prefixes: str = "", fresh: Callable[[], str] | None = None) -> str:
    """Run ``FILTER NOT EXISTS { basic pattern }`` as ``MINUS { basic pattern }``.

    SHACL forbids MINUS in SPARQL constraints (pyshacl refuses it: it breaks pre-binding
    of $this), so shapes are written with FILTER NOT EXISTS; but Oxigraph evaluates a
    multi-pattern NOT EXISTS over the whole graph for every focus node (PITFALLS.md: 51 s
    against 47 ms).  The two are equivalent when the block is a basic graph pattern with
    filters (no nested group), binds ?this, and every variable its filters use is bound by
    its own triple patterns; only such blocks are rewritten, any other is left alone."""
    out, i = [], 0
    while True:
        m = _NOT_EXISTS.search(body, i)
        if m is None:
            out.append(body[i:])
            return "".join(out)
        end = _closing(body, m.end() - 1, "{", "}")
        block = body[m.end() : end]
        triples, filters = _without_filters(block)
        bound = set(_VAR.findall(triples))
        safe = "{" not in block and "this" in bound and set(_VAR.findall(filters)) <= bound
        out.append(body[i : m.start()])
        if safe:
            scans = scans_of_bgp(block, prefixes, fresh) if fresh is not None else None
            out.append("MINUS { " + (scans if scans is not None else block) + " }")
        else:
            out.append(body[m.start() : m.end()] + block + "}")
        i = end + 1


_STEP = r"(?:<[^<>\s]*>|[A-Za-z][\w-]*:[\w-]+)"
_SEQUENCE = re.compile(rf"(?<![\w:/<>#.^|-])({_STEP}(?:/{_STEP})+)([*+?]?)\s+(\?\w+|\$\w+)(?=\s*[.;}}])")
_TO_CONSTANT = re.compile(rf"(?<![\w:/<>#.^|-])({_STEP})/({_STEP}(?:/{_STEP})*[*+?]?)\s+({_STEP})(?=\s*[.}}])")


def sequences_to_constants(body: str, fresh: Callable[[], str]) -> str:
    """Write ``?s p1/p2/p3* <c>`` (the last pattern of its block) as
    ``?s p1 ?m . { SELECT ?m WHERE { ?m p2/p3* <c> } }``.

    A path that ends in a constant (``dct:publisher/gds:jurisdiction/gds:partOfJurisdiction*
    jur:210000``: "published under Liaoning") names a small set of nodes one step away
    (the agencies under Liaoning); as a sub-SELECT Oxigraph computes that set once and
    hash-joins it, where it otherwise walked the path for every row: a count of a
    province's entries took 3-4 times longer at 10k datasets, and grew faster than the data."""

    def split(m: re.Match[str]) -> str:
        v = fresh()
        return f"{m.group(1)} {v} . {{ SELECT {v} WHERE {{ {v} {m.group(2)} {m.group(3)} }} }}"

    return _TO_CONSTANT.sub(split, body)


def sequences_as_chains(body: str) -> str:
    """Write a sequence path ``?s p1/p2 ?o`` as ``?s p1 [ p2 ?o ]``.

    The two mean the same (a blank node in a query pattern is a fresh variable), but
    Oxigraph evaluates a sequence path as a whole, from the whole graph, whenever its
    ends are not both bound, and inside a join that is once per row of the other
    patterns: at 100k datasets a repeated-collection check, which joins collections to
    datasets through their data elements, ran for minutes.  As a chain of triple
    patterns each step is a lookup from the variable already bound.  Only paths of plain
    IRIs (the last step may carry ``*``, ``+`` or ``?``) before a single object are
    rewritten, and only before a variable (see :func:`sequences_to_constants` for a
    constant); an object list (``p1/p2 ?a, ?b``) would change meaning and is left alone."""

    def chain(m: re.Match[str]) -> str:
        steps = re.findall(_STEP, m.group(1))
        inner = f"{steps[-1]}{m.group(2)} {m.group(3)}"
        for step in reversed(steps[:-1]):
            inner = f"{step} [ {inner} ]"
        return inner

    return _SEQUENCE.sub(chain, body)


def _sparql_constraint_query(prefix: str, target: str, select: str, ctx: _Ctx | None = None) -> str:
    pfx, body = _strip_prefixes(select)
    fresh = (lambda: ctx.var("s")) if ctx is not None else None  # noqa: E731
    body = not_exists_as_minus(body.replace("$this", "?this"), prefix + pfx + "\n", fresh)
    counter = itertools.count()
    body = sequences_to_constants(body, fresh or (lambda: f"?_c{next(counter)}"))
    body = sequences_as_chains(body)
    m = re.search(r"(?is)\bWHERE\s*\{", body)
    if m is None:
        raise ShapeCompileError("sh:select without WHERE {")
    head, rest = body[: m.end()], body[m.end() :]
    return f"{prefix}{pfx}\n{head}\n  #FOCUS#\n  {{ {target} }}\n{rest}"


def compile_node_shape(g: Graph, shape: URIRef, prefix: str | None = None) -> Iterator[Check]:
    if g.value(shape, SH.deactivated) == Literal(True):
        return
    prefix = prefixes_of(g) if prefix is None else prefix
    target = target_pattern(g, shape)
    if not target:
        return
    ctx = _Ctx(g)
    _check_known(ctx, shape)
    # node-level value constraints: the focus node is the value node
    for param in _VALUE_PARAMS:
        for value in g.objects(shape, param):
            conf = _conforming(ctx, param, value, "?this")
            if conf is not None:
                pattern, passes = conf
                body = f"MINUS {{ {pattern} }}" if passes else f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}"
            else:
                body = f"FILTER(!({_value_cond(ctx, '?this', param, value, shape)}))"
            yield Check(
                shape,
                shape,
                component(_COMPONENT_NAMES[param]),
                None,
                _severity(g, shape),
                _select(prefix, target, body + " BIND(?this AS ?value)"),
                target=target,
                prefix=prefix,
            )
    for hv in g.objects(shape, SH.hasValue):
        yield Check(
            shape,
            shape,
            component("HasValue"),
            None,
            _severity(g, shape),
            _select(prefix, target, f"FILTER(!sameTerm(?this, {_term(hv)}))", value=False),
            target=target,
            prefix=prefix,
        )
    for sparql in g.objects(shape, SH.sparql):
        select = g.value(sparql, SH.select)
        if select is None:
            raise ShapeCompileError(f"{shape}: sh:sparql without sh:select")
        yield Check(
            shape,
            shape,
            component("SPARQL"),
            None,
            _severity(g, shape),
            _sparql_constraint_query(prefix, target, str(select), ctx),
            constraint=sparql,
            target=target,
            prefix=prefix,
        )
    for ps in g.objects(shape, SH.property):
        yield from _compile_property(ctx, prefix, shape, target, ps)


def _compile_property(ctx: _Ctx, prefix: str, node_shape: URIRef, target: str, ps: Node) -> Iterator[Check]:
    g = ctx.shapes
    if g.value(ps, SH.deactivated) == Literal(True):
        return
    _check_known(ctx, ps)
    path_node = g.value(ps, SH.path)
    if path_node is None:
        raise ShapeCompileError(f"property shape {ps} has no sh:path")
    path = path_sparql(g, path_node)
    sev = _severity(g, ps)

    def check(
        name: str,
        body: str,
        value: bool = True,
        group: str = "",
        constraint: Node | None = None,
        query: str | None = None,
    ) -> Check:
        return Check(
            node_shape,
            ps,
            component(name),
            path_node,
            sev,
            query or _select(prefix, target, body, value, group),
            constraint,
            target,
            prefix,
        )

    def values(cond: str = "") -> str:
        """(?this, ?value) rows of the path, filtered by ``cond`` inside the scan when cheap."""
        v = ctx.var("v")
        scan = path_scan(ctx, path_node, "?this", v)
        if cond and "EXISTS" not in cond:
            c = cond.replace("?value", v)
            return f"{{ SELECT ?this ({v} AS ?value) WHERE {{ {scan} FILTER({c}) }} }}"
        rows = f"{{ SELECT ?this ({v} AS ?value) WHERE {{ {scan} }} }}"
        return rows + (f" FILTER({cond})" if cond else "")

    mn = g.value(ps, SH.minCount)
    if mn is not None and int(mn) > 0:  # type: ignore[arg-type]
        if int(mn) == 1:  # type: ignore[arg-type]
            # MINUS, not FILTER NOT EXISTS: PITFALLS.md measured 47 ms against 51 s
            yield check("MinCount", f"MINUS {{ {path_scan(ctx, path_node, '?this', '?_any')} }}", value=False)
        else:
            yield check(
                "MinCount",
                f"OPTIONAL {{ SELECT ?this ?_v WHERE {{ #FOCUS# {path_scan(ctx, path_node, '?this', '?_v')} }} }}",
                value=False,
                group=f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {int(mn)})",  # type: ignore[arg-type]
            )
    mx = g.value(ps, SH.maxCount)
    if mx is not None:
        yield check(
            "MaxCount",
            # #FOCUS#: a focus run counts for its focus nodes only (focus_mode.py)
            f"{{ SELECT ?this WHERE {{ #FOCUS# {path_scan(ctx, path_node, '?this', '?_v')} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {int(mx)}) }}",  # type: ignore[arg-type]
            value=False,
        )
    for hv in g.objects(ps, SH.hasValue):
        yield check("HasValue", f"MINUS {{ {path_scan(ctx, path_node, '?this', _term(hv))} }}", value=False)
    for param in _VALUE_PARAMS:
        for value in g.objects(ps, param):
            name = _COMPONENT_NAMES[param]
            conf = _conforming(ctx, param, value, "?value")
            if conf is not None:
                pattern, passes = conf
                tail = f"MINUS {{ {pattern} }}" if passes else f"{{ SELECT DISTINCT ?value WHERE {{ {pattern} }} }}"
                yield check(name, values() + " " + tail)
            else:
                yield check(name, values(f"!({_value_cond(ctx, '?value', param, value, ps)})"))
    q = g.value(ps, SH.qualifiedValueShape)
    if q is not None:
        qmin = g.value(ps, SH.qualifiedMinCount)
        qmax = g.value(ps, SH.qualifiedMaxCount)
        v = ctx.var()
        pos = positive(ctx, q, v)
        if pos is not None:
            qualified = f"{{ SELECT ?this {v} WHERE {{ {path_scan(ctx, path_node, '?this', v)} }} }} {{ {pos} }}"
        else:
            cond = conforms(ctx, v, q)
            qualified = f"{path_scan(ctx, path_node, '?this', v)} FILTER({cond})"
        if qmin is not None:
            if int(qmin) != 1:  # type: ignore[arg-type]
                raise ShapeCompileError(f"{ps}: qualifiedMinCount other than 1 is not supported")
            yield check("QualifiedMinCount", f"MINUS {{ {qualified} }}", value=False)
        if qmax is not None:
            if int(qmax) != 0:  # type: ignore[arg-type]
                raise ShapeCompileError(f"{ps}: qualifiedMaxCount other than 0 is not supported")
            yield check("QualifiedMaxCount", f"{{ SELECT DISTINCT ?this WHERE {{ {qualified} }} }}", value=False)
    for pred, op, name in ((SH.lessThan, "<", "LessThan"), (SH.lessThanOrEquals, "<=", "LessThanOrEquals")):
        for other in g.objects(ps, pred):
            yield check(
                name,
                values() + f" {{ SELECT ?this ?_b WHERE {{ ?this {_term(other)} ?_b }} }}"
                f" FILTER(!COALESCE(?value {op} ?_b, false))",
            )
    for other in g.objects(ps, SH.equals):
        yield check(
            "Equals",
            f"{{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {_term(other)} ?value }} }} UNION "
            f"{{ ?this {_term(other)} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }}",
        )
    for other in g.objects(ps, SH.disjoint):
        yield check("Disjoint", f"?this {path} ?value . ?this {_term(other)} ?value")
    for sparql in g.objects(ps, SH.sparql):
        select = g.value(sparql, SH.select)
        if select is None:
            raise ShapeCompileError(f"{ps}: sh:sparql without sh:select")
        text = str(select).replace("$PATH", path)
        yield check("SPARQL", "", constraint=sparql, query=_sparql_constraint_query(prefix, target, text, ctx))


def compile_shapes(g: Graph) -> list[Check]:
    """Every check of every top-level node shape in ``g``."""
    prefix = prefixes_of(g)
    shapes = set(g.subjects(RDF.type, SH.NodeShape))
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        shapes |= set(g.subjects(pred, None))
    checks: list[Check] = []
    for s in sorted(shapes, key=str):
        if not isinstance(s, URIRef):
            raise ShapeCompileError(f"top-level shape {s} must have an IRI, so findings can link to it")
        checks.extend(compile_node_shape(g, s, prefix))
    return checks
