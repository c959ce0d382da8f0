"""The browser query page: a plain HTML form, upgraded to YASGUI when its assets are installed.

The example queries are the ``.rq`` files of ``queries/`` (``govkg.packaged.folder("queries")``,
or the ``QUERIES_DIR`` of the app's config).  Each may open with grlc-style header lines,
``#+ summary: ...``, ``#+ description: ...``, ``#+ tags: [...]``, which are YAML once the
``#+`` is taken off; the whole file, header included, is the query (the header lines are
SPARQL comments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app, render_template

from govkg.packaged import folder

YASGUI_JS = "vendor/yasgui/yasgui.min.js"
YASGUI_CSS = "vendor/yasgui/yasgui.min.css"


@dataclass
class Example:
    name: str  # the file stem
    summary: str
    description: str
    query: str
    tags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "summary": self.summary, "description": self.description,
                "query": self.query, "tags": self.tags}


def parse_header(text: str) -> dict[str, object]:
    """The YAML of the leading ``#+`` lines ({} if none or if it is not a mapping)."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if not stripped.startswith("#+"):
            break
        lines.append(stripped[2:].removeprefix(" "))
    if not lines:
        return {}
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _queries_folder() -> Path | None:
    configured = current_app.config.get("QUERIES_DIR")
    if configured:
        return Path(configured)
    try:
        return folder("queries")
    except (ImportError, OSError, TypeError):  # no queries package data at all (yet)
        return None


def load_examples(directory: Path | None = None) -> list[Example]:
    directory = directory or _queries_folder()
    if directory is None or not directory.is_dir():
        return []
    examples: list[Example] = []
    for path in sorted(directory.glob("*.rq")):
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        header = parse_header(text)
        tags = header.get("tags") or []
        examples.append(Example(
            name=path.stem,
            summary=str(header.get("summary") or path.stem.replace("_", " ").replace("-", " ")),
            description=str(header.get("description") or ""),
            query=text,
            tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        ))
    return examples


def yasgui_installed() -> bool:
    static = current_app.static_folder
    return bool(static) and all((Path(static) / p).is_file() for p in (YASGUI_JS, YASGUI_CSS))


def render_query_page(endpoint_url: str, formats: list[tuple[str, str]]) -> str:
    examples = load_examples()
    return render_template(
        "query.html",
        endpoint=endpoint_url,
        examples=examples,
        examples_json=[e.as_dict() for e in examples],
        first_query=examples[0].query if examples else "SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n",
        yasgui=yasgui_installed(),
        yasgui_js=YASGUI_JS,
        yasgui_css=YASGUI_CSS,
        formats=formats,
    )
