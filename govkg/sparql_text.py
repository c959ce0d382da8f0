"""Just enough SPARQL lexing for the protocol: no evaluation, no full parse.

The SPARQL 1.1 Protocol needs a few facts about a request before an engine sees it:
which form a query has (to negotiate a result format per form), whether a query
brings its own dataset (``FROM``/``FROM NAMED``, which govkg must then not override),
whether an update names graphs itself (``USING``/``WITH``, which conflicts with the
``using-graph-uri`` parameters) and where ``USING`` clauses go when those parameters
are given (pyoxigraph's ``update()`` has no dataset argument).

A token-level scan answers all of these: comments, strings and IRIs are skipped as whole
tokens, so a ``FROM`` inside a literal or an IRI is not mistaken for a keyword.  The
engine still parses the text and reports every syntax error itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"
              |'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\[_~.!$&'()*+,;=/?\#@%-])*|_:[\w.-]+)
  | (?P<word>[^\W\d][\w-]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, pname, word, number, punct
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        return self.text.upper() if self.kind == "word" else None


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (whitespace and comments left out)."""
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string: the rest is one token the engine will reject
            yield Token("string", text[pos:], pos, n)
            return
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group(), m.start(), m.end())
        pos = m.end()


_PROLOGUE = {"BASE", "PREFIX"}
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def query_form(text: str) -> str | None:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE), or None if it is not a query."""
    for tok in tokens(text):
        kw = tok.keyword
        if kw in _PROLOGUE or tok.kind in ("iri", "pname"):
            continue
        return _FORMS.get(kw or "")
    return None


def has_dataset_clause(text: str) -> bool:
    """True if the query names its dataset (``FROM`` or ``FROM NAMED``).

    Sub-queries cannot have a dataset clause, so any FROM keyword belongs to the query."""
    return any(tok.keyword == "FROM" for tok in tokens(text))


def update_names_dataset(text: str) -> bool:
    """True if an update has ``USING``, ``USING NAMED`` or ``WITH`` of its own."""
    return any(tok.keyword in ("USING", "WITH") for tok in tokens(text))


def add_using(text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """Apply the protocol's ``using-graph-uri``/``using-named-graph-uri`` to every
    DELETE/INSERT operation, as the USING clauses they stand for.

    In the grammar a Modify operation is ``[WITH iri] DELETE {..} INSERT {..} USING* WHERE {..}``
    (WHERE is required there), while ``DELETE WHERE {..}`` takes no USING.  So the clauses go
    before every ``WHERE`` keyword at brace depth 0 that does not directly follow ``DELETE``.
    """
    if not default_graphs and not named_graphs:
        return text
    clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(
        f"USING NAMED <{g}> " for g in named_graphs
    )
    out: list[str] = []
    last = 0
    depth = 0
    previous: str | None = None
    for tok in tokens(text):
        if tok.kind == "punct":
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                depth -= 1
        kw = tok.keyword
        if kw == "WHERE" and depth == 0 and previous != "DELETE":
            out.append(text[last : tok.start])
            out.append(clause)
            last = tok.start
        previous = kw
    out.append(text[last:])
    return "".join(out)


MAX_NESTING = 256  # brackets, braces and parentheses: pyoxigraph's parser recurses (3,000 crash it)
_OPENERS = {"{": "}", "(": ")", "[": "]"}


def untrusted_problem(text: str, *, update: bool = False) -> str | None:
    """Why a query or update from outside must not be run by the embedded engine, or None.

    pyoxigraph fetches ``SERVICE`` endpoints and ``LOAD`` sources over HTTP itself (a request
    forgery from the server's network), and its parser recurses on nesting, so a few thousand
    braces overflow its stack and kill the process instead of raising an error."""
    depth = 0
    for tok in tokens(text):
        kw = tok.keyword
        if kw == "SERVICE":
            return "SERVICE (federated query) is not allowed: this endpoint does not call other servers"
        if kw == "LOAD" and update:
            return "LOAD is not allowed: this endpoint does not fetch documents; POST them to the graph store"
        if tok.kind == "punct":
            if tok.text in _OPENERS:
                depth += 1
                if depth > MAX_NESTING:
                    return f"nested deeper than {MAX_NESTING} brackets, braces or parentheses"
            elif tok.text in ("}", ")", "]"):
                depth -= 1
    return None


_ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*$')


def is_absolute_iri(iri: str) -> bool:
    """True for an absolute IRI that can be written between angle brackets as it is."""
    return bool(_ABSOLUTE_IRI.match(iri))
