"""One error type, so the CLI and the server report problems in one shape.

``GovkgError`` carries a message, an optional location (file, line, column or field) and
an exit status for the CLI (2: usage or input error) and an HTTP status for the server.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GovkgError(Exception):
    message: str
    source: str | None = None  # a file, URL or request field
    line: int | None = None
    column: int | None = None
    exit_code: int = 2
    http_status: int = 400

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"ok": False, "error": self.message, "status": self.http_status}
        if self.source:
            out["source"] = self.source
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out


class InputError(GovkgError):
    """Bad input data: a file or document that cannot be parsed or is refused."""


class StoreError(GovkgError):
    """The store cannot be opened or written."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message, source=source, exit_code=2, http_status=503)


class QueryError(GovkgError):
    """A SPARQL query or update that cannot be parsed or run."""


class QueryTimeout(GovkgError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"query exceeded the time limit of {seconds:g} s and was stopped", exit_code=2, http_status=503
        )


class ResultTooLarge(GovkgError):
    def __init__(self, limit: int, what: str = "results") -> None:
        super().__init__(
            f"query produced more than {limit} {what}; add LIMIT or narrow the query",
            exit_code=2,
            http_status=413,
        )
