"""Facts SHACL cannot compute, derived in Python into the derived graph before validation.

Today: catalogue-update deadlines (govkg.validate.deadlines).  The derived graph is
replaced as a whole on every run, in the same transaction as nothing else: it holds no
asserted data, only what these functions compute from it.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from govkg.store.base import Snapshot, Transaction
from govkg.validate.deadlines import RULES, CalendarRangeError, china_date, deadline
from govkg.vocab import DERIVED_GRAPH, GDS, JURISDICTIONS, jurisdiction

XSD = "http://www.w3.org/2001/XMLSchema#"
_DERIVED = ox.NamedNode(str(DERIVED_GRAPH))

_TRIGGERS = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?trigger ?at (MIN(?ended) AS ?adjusted) WHERE {
  ?trigger a gds:TriggerEvent ; prov:atTime ?at ; gds:affects ?catalog .
  ?catalog dct:publisher/gds:jurisdiction/gds:partOfJurisdiction* <%s> .
  OPTIONAL { ?revision a gds:Revision ; prov:wasInformedBy ?trigger ; prov:endedAtTime ?ended }
} GROUP BY ?trigger ?at
"""


def _parse_time(lit: ox.Literal) -> dt.date:
    text = lit.value
    if "T" in text:
        return china_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    return dt.date.fromisoformat(text[:10])


def derive_deadlines(snap: Snapshot, as_of: dt.date) -> list[ox.Quad]:
    g = _DERIVED
    out: list[ox.Quad] = []
    date_t = ox.NamedNode(XSD + "date")
    for key, rule in RULES.items():
        top = ox.NamedNode(str(jurisdiction(JURISDICTIONS[key])))
        for row in snap.select(_TRIGGERS % top.value):
            trigger = row["trigger"]
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


def write_derived(tx: Transaction, quads: list[ox.Quad]) -> None:
    tx.replace_graph(_DERIVED, quads)
