"""What a demo run wrote: counts, the planted rule violations and the scoping decoys."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, fields
from pathlib import Path

_COUNT_FIELDS = (
    "seed", "datasets", "quads", "triples", "literal_form_entries", "jurisdictions", "agencies", "catalogues",
    "platforms", "systems", "data_items", "distributions", "records", "activities", "triggers", "feedback",
    "collections", "projects", "planted_datasets",
)


@dataclass
class Manifest:
    """Counts plus ``planted`` and ``decoys``, each a list of (rule id, focus node IRI).

    ``planted``: every rule violation the generator wrote on purpose; a validator that
    applies each rule in its jurisdiction must report exactly these (rule, focus) pairs.
    ``decoys``: (rule id, focus) pairs of resources *outside* the rule's jurisdiction that
    would break the rule if it were applied there; a correct validator reports none.
    ``planted_datasets``: how many datasets carry a planted defect (on the dataset, its
    record, items or distributions, or a catalogue membership).
    """

    seed: int = 0
    datasets: int = 0
    quads: int = 0  # every line written, literal-form entries included
    triples: int = 0  # quads in the demo graph
    literal_form_entries: int = 0
    jurisdictions: int = 0
    agencies: int = 0
    catalogues: int = 0
    platforms: int = 0
    systems: int = 0
    data_items: int = 0
    distributions: int = 0
    records: int = 0
    activities: int = 0
    triggers: int = 0
    feedback: int = 0
    collections: int = 0
    projects: int = 0
    planted_datasets: int = 0
    graph: str = ""
    planted: list[tuple[str, str]] = field(default_factory=list)
    decoys: list[tuple[str, str]] = field(default_factory=list)

    def rule_ids(self) -> set[str]:
        return {rule for rule, _ in self.planted}

    def write_tsv(self, path: str | Path) -> None:
        """One row per fact: ``count\\tname\\tvalue``, ``planted\\trule\\tfocus``, ``decoy\\trule\\tfocus``."""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            w.writerow(("kind", "key", "value"))
            w.writerow(("meta", "graph", self.graph))
            for name in _COUNT_FIELDS:
                w.writerow(("count", name, getattr(self, name)))
            w.writerows(("planted", rule, focus) for rule, focus in self.planted)
            w.writerows(("decoy", rule, focus) for rule, focus in self.decoys)

    @classmethod
    def read_tsv(cls, path: str | Path) -> Manifest:
        m = cls()
        known = {f.name for f in fields(cls)}
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh, delimiter="\t")
            header = next(rows)
            if header != ["kind", "key", "value"]:
                raise ValueError(f"{path}: not a demo manifest (header {header!r})")
            for kind, key, value in rows:
                if kind == "planted":
                    m.planted.append((key, value))
                elif kind == "decoy":
                    m.decoys.append((key, value))
                elif kind == "count" and key in known:
                    setattr(m, key, int(value))
                elif kind == "meta" and key == "graph":
                    m.graph = value
                else:
                    raise ValueError(f"{path}: unknown row {kind!r} {key!r}")
        return m
