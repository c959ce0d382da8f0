"""What one harvest run did: counts, rejections with their reasons, duplicate links."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rejection:
    where: str  # URL, file, or dataset IRI
    reason: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        loc = self.where
        if self.line is not None:
            loc += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{loc}: {self.reason}"


@dataclass
class Duplicate:
    dataset: str  # as it arrived from this source
    existing: str  # the dataset already in the store
    graph: str  # where the existing one is
    reason: str  # "same IRI" or "same dct:identifier and publisher"
    stored: bool  # whether this source's copy was stored (never when the IRI is the same)

    def __str__(self) -> str:
        what = "stored beside it" if self.stored else "not stored"
        return f"{self.dataset} duplicates {self.existing} in <{self.graph}> ({self.reason}; {what})"


@dataclass
class HarvestReport:
    source: str
    kind: str
    graph: str
    started: str = ""
    ended: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)  # marked withdrawn
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    documents: int = 0  # pages or documents read
    bytes: int = 0
    complete: bool = True  # every page was read: absence from the source means deletion
    notes: list[str] = field(default_factory=list)
    activity: str | None = None

    def reject(self, where: str, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.rejected.append(Rejection(where, reason, line, column))

    def note(self, message: str) -> None:
        self.notes.append(message)

    @property
    def seen(self) -> int:
        return len(self.added) + len(self.changed) + self.unchanged

    def summary(self) -> str:
        lines = [
            f"harvest of {self.source} ({self.kind}) into <{self.graph}>: "
            f"{len(self.added)} added, {len(self.changed)} changed, {self.unchanged} unchanged, "
            f"{len(self.deleted)} deleted, {len(self.rejected)} rejected, {len(self.duplicates)} duplicates "
            f"({self.documents} documents, {self.bytes} bytes{'' if self.complete else ', incomplete'})"
        ]
        lines += [f"  rejected: {r}" for r in self.rejected]
        lines += [f"  duplicate: {d}" for d in self.duplicates]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)
