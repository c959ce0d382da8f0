"""The query page in a real Chromium: YASGUI starts with one tab per example query.

Needs the front-end assets (scripts/install-assets.sh) and Chromium (scripts/apt-packages.txt);
scripts/install.sh test installs both."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from govkg.config import Config
from govkg.store.oxigraph import OxigraphStore
from server import query_page, sparql
from server.app import create_app


@pytest.fixture
def served_page(tmp_path: Path) -> Iterator[str]:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "a.rq").write_text("#+ summary: Count triples\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    (queries / "b.rq").write_text("#+ summary: Ten <b>triples</b>\nSELECT * WHERE { ?s ?p ?o } LIMIT 10\n")
    store = OxigraphStore(tmp_path / "store")
    app = create_app(Config(store=store.path), test_config={"QUERIES_DIR": str(queries)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql"
    finally:
        server.shutdown()
        sparql.close(app)


@pytest.mark.browser
def test_yasgui_opens_with_the_example_queries(served_page: str, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is missing: scripts/install.sh test installs it (scripts/apt-packages.txt)"
    static = Path(query_page.__file__).parent / "static"
    assert (static / query_page.YASGUI_JS).is_file(), "run scripts/install-assets.sh (YASGUI from npm)"
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=8000", "--dump-dom", served_page],
        capture_output=True, text=True, timeout=90, check=True,
    ).stdout
    assert 'class="yasgui' in dom
    tabs = [part.split("</span>")[0] for part in dom.split('role="tab"')[1:]]
    assert [t.rsplit("<span>", 1)[-1] for t in tabs] == ["Count triples", "Ten &lt;b&gt;triples&lt;/b&gt;"]
    assert "CodeMirror" in dom  # the editor is up
    assert '<form id="plain-form" method="get"' in dom and 'hidden=""' in dom.split('id="plain-form"')[1][:200]
