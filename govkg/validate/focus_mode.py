"""Checks rewritten for a few focus nodes: lookups from the bound node instead of scans.

The compiled checks (``compile.py``) are shaped for the whole graph: single-pattern
sub-SELECTs that Oxigraph scans and joins by hashing, and ``MINUS``.  Oxigraph evaluates a
sub-SELECT on its own, whatever is bound outside it, so for a focus run that re-checks a
few dozen changed resources that shape still scans the whole graph in every check (88 s
for one dataset's neighbourhood at 100k datasets, twice a full run).  For a focus run:

1. each distinct target is evaluated once, for the focus nodes only (its members); a check
   whose target holds none of them is not run;
2. the target in the check is replaced by ``VALUES ?this { members }``;
3. every sub-SELECT without modifiers (no aggregate, GROUP BY, ORDER, LIMIT; ``DISTINCT``
   is dropped) is inlined as a group, its hidden variables renamed, so that its patterns
   are looked up from the bound ``?this``;
4. every group that mentions ``?this`` (a ``MINUS``, an ``OPTIONAL``, a ``UNION`` branch)
   starts from the focus nodes, a ``VALUES`` of its own: Oxigraph evaluates a group
   without the bindings around it.  A ``MINUS`` about ``?value`` becomes ``FILTER NOT
   EXISTS``: every ``MINUS`` the compiler writes shares ``?this`` or ``?value`` with the
   rows on its left, where both are bound, and there the two mean the same.  (A
   ``FILTER NOT EXISTS`` of many patterns Oxigraph evaluates over the whole graph for
   each row: PITFALLS.md.)

Findings are kept as a set per check (an inlined ``DISTINCT`` can repeat a row).
Sub-SELECTs that aggregate per focus node (sh:maxCount) carry a ``#FOCUS#`` marker of
their own and are restricted there.  The tests run both forms over every node of the demo
graph and of every shape case and compare (tests/validate/test_focus_mode.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rdflib import URIRef

from govkg.validate.compile import Check, _closing, _without_filters

_SUBSELECT = re.compile(
    r"\{\s*SELECT\s+(?:DISTINCT\s+)?((?:\?\w+\s*|\(\s*\?\w+\s+AS\s+\?\w+\s*\)\s*)+)WHERE\s*\{", re.IGNORECASE
)
_PROJECTION = re.compile(r"\(\s*\?(\w+)\s+AS\s+\?(\w+)\s*\)|\?(\w+)", re.IGNORECASE)
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_MINUS = re.compile(r"\bMINUS\s*\{", re.IGNORECASE)
_TARGET_SLOT = "#FOCUS#\n  {{ {target} }}"


def _rename(body: str, old: str, new: str) -> str:
    return re.sub(rf"[?$]{re.escape(old)}(?![A-Za-z0-9_])", f"?{new}", body)


def without_comments(text: str) -> str:
    """``text`` without SPARQL comments (a ``#`` outside IRIs and strings, to the line's end)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "<":  # an IRI, or a less-than sign: copy up to the next '>' on the line if any
            j = text.find(">", i)
            line_end = text.find("\n", i)
            if j != -1 and (line_end == -1 or j < line_end) and " " not in text[i:j]:
                out.append(text[i : j + 1])
                i = j + 1
                continue
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        elif c == "#":
            j = text.find("\n", i)
            i = n if j == -1 else j
            continue
        out.append(c)
        i += 1
    return "".join(out)


def inline_subselects(text: str) -> str:
    """Every sub-SELECT without modifiers, innermost first, as a group of its own."""
    text = without_comments(text)
    counter = itertools.count()
    while True:
        for m in _SUBSELECT.finditer(text):
            open_body = m.end() - 1
            close_body = _closing(text, open_body, "{", "}")
            body = text[open_body + 1 : close_body]
            if re.search(r"\bSELECT\b", body, re.IGNORECASE):
                continue  # not the innermost
            after = re.match(r"\s*\}", text[close_body + 1 :])
            if after is None:
                continue  # GROUP BY, HAVING, ORDER BY, LIMIT...: evaluated as written
            projected: set[str] = set()
            for p in _PROJECTION.finditer(m.group(1)):
                if p.group(3):
                    projected.add(p.group(3))
                else:  # (?a AS ?b): ?a is ?b inside
                    body = _rename(body, p.group(1), p.group(2))
                    projected.add(p.group(2))
            n = next(counter)
            for hidden in set(_VAR.findall(body)) - projected:
                body = _rename(body, hidden, f"_in{n}_{hidden}")
            end = close_body + 1 + after.end()
            text = text[: m.start()] + _as_group(body, text[: m.start()], text[end:]) + text[end:]
            break
        else:
            return text


def _as_group(body: str, before: str, after: str) -> str:
    """``body`` as it joins the patterns around it: a plain basic graph pattern merges into
    the enclosing one (so that Oxigraph orders all its lookups together), with dots where
    the grammar needs them; anything else stays a group of its own."""
    triples, filters = _without_filters(body)
    plain = "{" not in body and not re.search(r"\b(OPTIONAL|UNION|MINUS|GRAPH|SERVICE|BIND|VALUES)\b", body, re.I)
    operand = re.search(r"\b(UNION|OPTIONAL|MINUS|EXISTS)\s*$|\bGRAPH\s+\S+\s*$", before, re.I) or re.match(
        r"\s*UNION\b", after, re.I
    )  # the braces are the operand's own
    if operand or not plain or not set(_VAR.findall(filters)) <= set(_VAR.findall(triples)):
        return "{ " + body + " }"
    lead = "" if before.rstrip()[-1:] in ("{", ".", "}", ")", "") else " . "
    trail = "" if after.lstrip()[:1] in (".", "}") else " . "
    return f"{lead} {body.strip().rstrip('.')} {trail}"


def minus_of_values_as_not_exists(query: str) -> str:
    """Each ``MINUS`` that does not mention ``?this`` (it is about ``?value``, bound on its
    left) as ``FILTER NOT EXISTS``, looked up from the value instead of scanned."""
    out, i = [], 0
    for m in _MINUS.finditer(query):
        if m.start() < i:
            continue
        end = _closing(query, m.end() - 1, "{", "}")
        block = query[m.end() : end]
        out.append(query[i : m.start()])
        out.append(("MINUS {" if _THIS.search(block) else "FILTER NOT EXISTS {") + block + "}")
        i = end + 1
    out.append(query[i:])
    return "".join(out)


_THIS = re.compile(r"\?this(?![A-Za-z0-9_])")
_VALUES_BLOCK = re.compile(r"VALUES\s*(\?\w+|\([^()]*\))\s*$", re.IGNORECASE)


def _projected(head: str) -> set[str]:
    """The variables a SELECT clause projects: bare ones and ``AS`` names, not those used
    inside an expression."""
    top, depth = [], 0
    for ch in head:
        depth += ch == "("
        if depth == 0:
            top.append(ch)
        depth -= ch == ")"
    return set(re.findall(r"\bAS\s+\?(\w+)", head, re.IGNORECASE)) | set(re.findall(r"\?(\w+)", "".join(top)))


def restrict_groups(query: str, values: str) -> str:
    """``values`` at the start of every group that mentions ``?this``.

    Oxigraph evaluates a group (a ``MINUS``, an ``OPTIONAL``, a ``UNION`` branch, a group
    with a ``MINUS`` of its own) without the bindings around it; restricted to the focus
    nodes it looks up from them.  The rows are the same: ``?this`` is already one of the
    focus nodes wherever the group's rows are joined.  A query with a sub-SELECT left
    (an aggregate) that uses ``?this`` without projecting it is left alone: there
    ``?this`` is another variable."""
    for m in re.finditer(r"\{\s*SELECT\s+(.*?)\bWHERE\s*\{", query, re.IGNORECASE | re.DOTALL):
        end = _closing(query, m.end() - 1, "{", "}")
        if _THIS.search(query[m.end() : end]) and "this" not in _projected(m.group(1)):
            return query
    out, i = [], 0
    for pos, ch in enumerate(query):
        if ch != "{" or _VALUES_BLOCK.search(query[max(0, pos - 200) : pos]):
            continue
        if re.match(r"\s*(SELECT\b|VALUES\s+\?this\b)", query[pos + 1 :], re.IGNORECASE):
            continue  # a sub-SELECT's braces are not a group; a group already restricted
        end = _closing(query, pos, "{", "}")
        if _THIS.search(query[pos:end]):
            out.append(query[i : pos + 1])
            out.append(" " + values + " ")
            i = pos + 1
    out.append(query[i:])
    return "".join(out)


def for_focus(query: str, values: str) -> str:
    """A compiled query (its focus slot already filled) rewritten for bound focus nodes."""
    return restrict_groups(minus_of_values_as_not_exists(inline_subselects(query)), values)


def _values(nodes: Iterable[URIRef]) -> str:
    return "VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }"


def members_query(check: Check, focus: list[URIRef]) -> str:
    """The focus nodes that are in ``check``'s target."""
    values = _values(focus)
    target = inline_subselects("{ " + check.target + " }")
    return check.prefix + restrict_groups(f"SELECT DISTINCT ?this WHERE {{\n  {values}\n  {target}\n}}", values)


def check_query(check: Check, members: list[URIRef]) -> str:
    """``check`` for the given members of its target, without evaluating the target."""
    slot = _TARGET_SLOT.format(target=check.target)
    if slot not in check.query:
        raise ValueError(f"compiled query of {check.shape} has no target slot")
    values = _values(members)
    return for_focus(check.query.replace(slot, values).replace("#FOCUS#", values), values)
