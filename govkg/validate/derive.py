"""Facts SHACL cannot compute, derived in Python into the derived graph before validation.

Catalogue-update deadlines (govkg.validate.deadlines), and which providers share each data
element unconditionally (``gds:sharedUnconditionallyBy``): the repeated-collection rule
(R26) joins collections with those few pairs instead of with every entry that offers an
element, which would grow with collections times entries.  The derived graph is
replaced as a whole on every run, in the same transaction as nothing else: it holds no
asserted data, only what these functions compute from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyoxigraph as ox

from govkg.store.base import Snapshot, Transaction
from govkg.validate.deadlines import RULES, CalendarRangeError, china_date, deadline
from govkg.vocab import DERIVED_GRAPH, GDS, JURISDICTIONS, jurisdiction

XSD = "http://www.w3.org/2001/XMLSchema#"
_DERIVED = ox.NamedNode(str(DERIVED_GRAPH))

# One query for every trigger, with the jurisdiction of each affected catalogue's
# publisher; which regulation's deadline applies is decided in Python from the
# jurisdiction tree.  (A query per regulation with the path
# dct:publisher/gds:jurisdiction/gds:partOfJurisdiction* <top> made Oxigraph walk from
# the top down to every resource with a publisher: 20 s at 100k datasets.)  Each block is
# one scan, joined by hashing, like the offers below.
_TRIGGERS = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?trigger ?at ?j (MIN(?ended) AS ?adjusted) WHERE {
  { SELECT ?trigger WHERE { ?trigger a gds:TriggerEvent } }
  { SELECT ?trigger ?at WHERE { ?trigger prov:atTime ?at } }
  { SELECT ?trigger ?catalog WHERE { ?trigger gds:affects ?catalog } }
  { SELECT ?catalog ?agency WHERE { ?catalog dct:publisher ?agency } }
  { SELECT ?agency ?j WHERE { ?agency gds:jurisdiction ?j } }
  OPTIONAL {
    { SELECT ?revision WHERE { ?revision a gds:Revision } }
    { SELECT ?revision ?trigger WHERE { ?revision prov:wasInformedBy ?trigger } }
    { SELECT ?revision ?ended WHERE { ?revision prov:endedAtTime ?ended } }
  }
} GROUP BY ?trigger ?at ?j
"""
_PARENTS = "PREFIX gds: <https://w3id.org/govkg/def#> SELECT ?j ?p WHERE { ?j gds:partOfJurisdiction ?p }"


def _ancestors(snap: Snapshot) -> Callable[[str], set[str]]:
    """jurisdiction IRI -> itself and every jurisdiction it is part of (transitively)."""
    parents: dict[str, set[str]] = {}
    for row in snap.select(_PARENTS):
        parents.setdefault(row["j"].value, set()).add(row["p"].value)  # type: ignore[attr-defined]
    cache: dict[str, set[str]] = {}

    def up(j: str) -> set[str]:
        if j not in cache:
            seen, todo = {j}, [j]
            while todo:
                for p in parents.get(todo.pop(), ()):
                    if p not in seen:
                        seen.add(p)
                        todo.append(p)
            cache[j] = seen
        return cache[j]

    return up


def _parse_time(lit: ox.Literal) -> dt.date:
    text = lit.value
    if "T" in text:
        return china_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    return dt.date.fromisoformat(text[:10])


def derive_deadlines(snap: Snapshot, as_of: dt.date) -> list[ox.Quad]:
    g = _DERIVED
    out: list[ox.Quad] = []
    date_t = ox.NamedNode(XSD + "date")
    up = _ancestors(snap)
    rows = snap.select(_TRIGGERS)
    for key, rule in RULES.items():
        top = ox.NamedNode(str(jurisdiction(JURISDICTIONS[key])))
        done: set[tuple[str, str]] = set()  # one row per (trigger, event time), as affected catalogues repeat it
        for row in rows:
            trigger = row["trigger"]
            seen = (trigger.value, str(row["at"]))  # type: ignore[attr-defined]
            if seen in done or top.value not in up(row["j"].value):  # type: ignore[attr-defined]
                continue
            done.add(seen)
            try:
                event_day = _parse_time(row["at"])  # type: ignore[arg-type]
                due = deadline(rule, event_day)
            except CalendarRangeError as e:
                out.append(ox.Quad(trigger, ox.NamedNode(str(GDS.calendarError)), ox.Literal(str(e)), g))  # type: ignore[arg-type]
                continue
            except ValueError as e:
                out.append(
                    ox.Quad(
                        trigger,
                        ox.NamedNode(str(GDS.calendarError)),  # type: ignore[arg-type]
                        ox.Literal(f"unreadable event time: {e}"),
                        g,
                    )
                )
                continue
            out.append(
                ox.Quad(trigger, ox.NamedNode(str(GDS.deadline)), ox.Literal(due.isoformat(), datatype=date_t), g)
            )  # type: ignore[arg-type]
            adjusted = row.get("adjusted")
            if adjusted is not None:
                day = _parse_time(adjusted)  # type: ignore[arg-type]
                out.append(
                    ox.Quad(
                        trigger,
                        ox.NamedNode(str(GDS.adjustedOn)),  # type: ignore[arg-type]
                        ox.Literal(day.isoformat(), datatype=date_t),
                        g,
                    )
                )
            elif due < as_of:
                out.append(
                    ox.Quad(
                        trigger,
                        ox.NamedNode(str(GDS.unadjustedPastDeadline)),  # type: ignore[arg-type]
                        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
                        g,
                    )
                )
    return out


# Both queries join blocks that are each one scan (a subquery per pattern): Oxigraph then
# joins them by hashing.  Written as one basic graph pattern, it walks from each entry
# to its publisher and items by index lookups: 30x slower at 100k datasets (23 s / 0.7 s).
_OFFERS = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?element ?provider WHERE {
  { SELECT ?entry WHERE { ?entry gds:sharingType <https://w3id.org/govkg/authority/sharing-type/UNCONDITIONAL> } }
  { SELECT ?entry ?provider WHERE { ?entry dct:publisher ?provider } }
  { SELECT ?entry ?item WHERE { ?entry gds:hasDataItem ?item } }
  { SELECT ?item ?element WHERE { ?item gds:dataElement ?element } }
}
"""


_CONDITIONAL_OFFERS = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
SELECT DISTINCT ?element ?assignee WHERE {
  { SELECT ?entry WHERE { ?entry gds:sharingType <https://w3id.org/govkg/authority/sharing-type/CONDITIONAL> } }
  { SELECT ?entry ?provider WHERE { ?entry dct:publisher ?provider } }
  { SELECT ?entry ?policy WHERE { ?entry odrl:hasPolicy ?policy } }
  { SELECT ?policy ?assignee WHERE { ?policy odrl:assignee ?assignee } }
  { SELECT ?entry ?item WHERE { ?entry gds:hasDataItem ?item } }
  { SELECT ?item ?element WHERE { ?item gds:dataElement ?element } }
  FILTER (?provider != ?assignee)
}
"""


def derive_conditional_offers(snap: Snapshot) -> list[ox.Quad]:
    """``?element gds:sharedConditionallyWith ?agent``: another provider shares an entry
    carrying the element conditionally, with the agent as a named assignee."""
    p = ox.NamedNode(str(GDS.sharedConditionallyWith))
    return [ox.Quad(row["element"], p, row["assignee"], _DERIVED)  # type: ignore[arg-type]
            for row in snap.select(_CONDITIONAL_OFFERS)]


def derive_unconditional_offers(snap: Snapshot) -> list[ox.Quad]:
    """``?element gds:sharedUnconditionallyBy ?provider`` for every data element some entry
    shared unconditionally carries, one quad per (element, provider)."""
    p = ox.NamedNode(str(GDS.sharedUnconditionallyBy))
    return [ox.Quad(row["element"], p, row["provider"], _DERIVED)  # type: ignore[arg-type]
            for row in snap.select(_OFFERS)]


def derive(snap: Snapshot, as_of: dt.date) -> list[ox.Quad]:
    """Everything the derived graph holds for a validation run on ``as_of``."""
    return derive_deadlines(snap, as_of) + derive_unconditional_offers(snap) + derive_conditional_offers(snap)


def write_derived(tx: Transaction, quads: list[ox.Quad]) -> None:
    tx.replace_graph(_DERIVED, quads)
