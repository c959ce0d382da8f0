"""The ``govkg`` command.

Exit codes: 0 ok, 1 problems found (violations, rejected records), 2 usage or input error.
This module is the one place that wires the core to the loaders and the server; it
imports them inside the commands that need them, so ``import govkg`` stays light.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from govkg import __version__
from govkg.config import Config
from govkg.errors import GovkgError

OK, PROBLEMS, USAGE = 0, 1, 2


class Context:
    def __init__(self, config: Config, quiet: bool) -> None:
        self.config = config
        self.quiet = quiet
        self._store: Any = None

    def store(self, create: bool = True) -> Any:
        if self._store is None:
            from govkg.store import open_store

            self._store = open_store(self.config, create=create)
        return self._store

    def progress(self, total: int | None, desc: str, unit: str = "it") -> Any:
        from tqdm import tqdm

        return tqdm(
            total=total,
            desc=desc,
            unit=unit,
            disable=self.quiet or None,
            file=sys.stderr,
            dynamic_ncols=True,
            unit_scale=True,
        )

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


pass_ctx = click.make_pass_decorator(Context)


def _override(field: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(click_ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            obj = click_ctx.find_object(Context)
            if obj is not None:
                if field == "store":
                    value = Path(value).expanduser()
                obj.config = obj.config.with_(**{field: value})

    return callback


def store_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--store``/``--endpoint``/``--update-endpoint`` after the subcommand too, so that
    ``govkg demo --store DIR`` and ``govkg --store DIR demo`` mean the same."""
    f = click.option("--update-endpoint", expose_value=False, callback=_override("update_endpoint"),
                     help="The remote update endpoint.")(f)
    f = click.option("--endpoint", expose_value=False, callback=_override("endpoint"),
                     help="Use a remote SPARQL 1.1 query endpoint instead of the embedded store.")(f)
    f = click.option("--store", expose_value=False, type=click.Path(file_okay=False, path_type=Path),
                     callback=_override("store"), help="Embedded store directory (as the global --store).")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govkg")
@click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GOVKG_STORE",
    help="Embedded store directory (env GOVKG_STORE; default ~/.local/share/govkg/store).",
)
@click.option("--endpoint", envvar="GOVKG_ENDPOINT", help="Use a remote SPARQL 1.1 query endpoint instead.")
@click.option("--update-endpoint", envvar="GOVKG_UPDATE_ENDPOINT", help="The remote update endpoint.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, endpoint: str | None, update_endpoint: str | None, quiet: bool) -> None:
    """govkg: a linked-data knowledge graph of government data sharing and opening."""
    config = Config.from_env(store=store, endpoint=endpoint, update_endpoint=update_endpoint)
    ctx.obj = Context(config, quiet)


# -- load ---------------------------------------------------------------------------------
@cli.command()
@store_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Load into this named graph (default: graph/source/<file stem>).")
@click.option(
    "--format",
    "fmt",
    help="RDF syntax when the extension does not tell (turtle, ntriples, nquads, trig, rdfxml, jsonld).",
)
@pass_ctx
def load(ctx: Context, files: tuple[Path, ...], graph: str | None, fmt: str | None) -> int:
    """Load RDF files, or regulation texts (*.txt), all-or-nothing."""
    texts = [f for f in files if f.suffix.lower() == ".txt"]
    rdf = [f for f in files if f.suffix.lower() != ".txt"]
    if texts:
        from loaders.regulations_store import load_regulation_texts

        n = load_regulation_texts(ctx.store(), texts)
        ctx.info(f"loaded {n} articles from {len(texts)} regulation text(s)")
    if rdf:
        from loaders.rdf_files import load_files

        with ctx.progress(len(rdf), "parsing", "file") as bar:
            report = load_files(ctx.store(), rdf, graph=graph, fmt=fmt, progress=bar.update)
        if report.errors:
            for e in report.errors:
                click.echo(f"error: {e}", err=True)
            click.echo("nothing was loaded", err=True)
            return USAGE
        for g, n in report.graphs.items():
            ctx.info(f"{n} triples into <{g}>")
    return OK


# -- demo ---------------------------------------------------------------------------------
@cli.command()
@store_options
@click.option("--datasets", default=2000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also keep the generated N-Quads in this file."
)
@pass_ctx
def demo(ctx: Context, datasets: int, seed: int, out: Path | None) -> int:
    """Generate the demo graph and load it (with the ontology and the legislation)."""
    from govkg.load_demo import load_demo

    with ctx.progress(datasets, "demo", "dataset") as bar:
        result = load_demo(ctx.store(), datasets=datasets, seed=seed, keep=out, progress=bar.update)
    ctx.info(
        f"demo: {result.datasets} datasets, {result.quads} quads, {len(result.manifest.planted)} planted "
        f"violations, loaded in {result.load_seconds:.1f} s "
        f"({result.quads / max(result.load_seconds, 1e-9):,.0f} quads/s)"
    )
    return OK


# -- reason -------------------------------------------------------------------------------
@cli.command()
@store_options
@click.option("--profile", type=click.Choice(["owlrl", "rdfs"]), default="owlrl", show_default=True)
@pass_ctx
def reason(ctx: Context, profile: str) -> int:
    """Materialise OWL-RL (or RDFS) entailments into the inferred graph only."""
    from govkg.reason import materialise

    n = materialise(ctx.store(), profile=profile, log=ctx.info)
    ctx.info(f"{n} inferred triples in the inferred graph")
    return OK


# -- query --------------------------------------------------------------------------------
@cli.command()
@store_options
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of a named query (repeatable), e.g. --param jurisdiction=<iri>.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]),
    default="table",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(1), help="At most this many rows (named SELECT queries).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@pass_ctx
def query(ctx: Context, query: str | None, params: tuple[str, ...], fmt: str, limit: int | None,
          list_queries: bool) -> int:
    """Run a named query of the library (see --list), a .rq file, or SPARQL text.

    A named query (or a .rq file with a #+ header) takes its parameters with --param; they
    are checked against their declared types and bound as RDF terms, exactly as the web API
    does (/api/NAME), against the embedded store or any --endpoint."""
    from govkg.output import write_result
    from govkg.queries import QueryDefinitionError, QueryLibrary, load_file, parse_assignments

    if list_queries:
        for q in QueryLibrary.from_folder():
            click.echo(f"{q.name}: {q.summary}")
            for p in q.params:
                extra = f" ({p.scheme})" if p.scheme else ""
                flags = " required" if p.required else (f" default {p.default}" if p.default is not None else "")
                click.echo(f"    --param {p.name}=<{p.type}{extra}>{flags}  {p.description}")
        return OK
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text (or --list)")
    named = QueryLibrary.from_folder().get(query)
    path = Path(query)
    text = query
    if named is None and query.endswith(".rq") and path.is_file():
        text = path.read_text("utf-8")
        if text.lstrip().startswith("#+"):  # a library-style file: typed parameters and defaults
            try:
                named = load_file(path)
            except QueryDefinitionError:
                if params or limit:
                    raise
        elif params:
            raise click.UsageError(f"{query} has no #+ header declaring parameters")
    if named is None:
        if params or limit:
            raise click.UsageError("--param and --limit apply to named queries; no query is named "
                                   f"{query!r} (see govkg query --list)")
        if _looks_like_name(query):
            raise click.UsageError(f"no query named {query!r} (see govkg query --list)")
    else:
        terms = named.bind(parse_assignments(params))
        text = named.render(terms, limit=limit if named.paged else None)
        if ctx.config.endpoint:  # as the server runs it: over the union of the graphs, literals restored
            write_result(_answer_remotely(ctx, text), text, fmt, sys.stdout.buffer)  # type: ignore[arg-type]
            return OK
    with ctx.store(create=False).snapshot() as snap:
        write_result(snap, text, fmt, sys.stdout.buffer)
    return OK


def _looks_like_name(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text))


class _Answered:
    """Stands in for a snapshot that already answered the one query write_result asks for."""

    def __init__(self, result: Any) -> None:
        self.result = result

    def query(self, sparql: str) -> Any:
        return self.result

    def triples(self, sparql: str) -> Any:
        return iter(self.result)


def _answer_remotely(ctx: Context, text: str) -> _Answered:
    """A named query on a remote server through the API's own runner (govkg.query_remote), which asks
    for the union of the named graphs as govkg's default graph and restores literal forms."""
    import pyoxigraph as ox

    from govkg.query_pool import QueryJob
    from govkg.query_remote import RemoteRunner

    job = QueryJob(text, formats={"select": "tsv", "ask": "json", "graph": "nt"}, max_results=sys.maxsize)
    reply = RemoteRunner(ctx.store(create=False)).query(job, timeout=ctx.config.remote_timeout)
    if reply.form == "graph":
        return _Answered([ox.Triple(q.subject, q.predicate, q.object)
                          for q in ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES)])
    fmt = ox.QueryResultsFormat.TSV if reply.form == "select" else ox.QueryResultsFormat.JSON
    return _Answered(ox.parse_query_results(reply.body, format=fmt))


# -- export -------------------------------------------------------------------------------
@cli.command()
@store_options
@click.option("--format", "fmt", type=click.Choice(["nq", "trig", "nt", "ttl"]), default="nq", show_default=True)
@click.option("--graph", "graphs", multiple=True, help="Only these named graphs (default: all public graphs).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout).")
@pass_ctx
def export(ctx: Context, fmt: str, graphs: tuple[str, ...], output: Path | None) -> int:
    """Stream the store (original literals restored) without building an in-memory graph."""
    from govkg.output import dump

    with ctx.store(create=False).snapshot() as snap:
        if output is None:
            n = dump(snap, sys.stdout.buffer, fmt, list(graphs) or None)
        else:
            tmp = output.with_name(output.name + ".part")
            with open(tmp, "wb") as f:
                n = dump(snap, f, fmt, list(graphs) or None)
            tmp.replace(output)
    ctx.info(f"exported {n} quads")
    return OK


# -- validate -----------------------------------------------------------------------------
@cli.command()
@store_options
@click.option(
    "--jurisdiction",
    "jurisdiction_key",
    type=click.Choice(["guiyang", "zhejiang", "liaoning", "shanxi"]),
    help="Only this regulation's rules and the common ones, only for resources under it.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--focus", multiple=True, help="Re-validate only these resources (IRIs); other findings carry over.")
@click.option(
    "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date deadlines are judged at (default today)."
)
@click.option("--no-store", is_flag=True, help="Do not store the report in the graph.")
@pass_ctx
def validate(
    ctx: Context, jurisdiction_key: str | None, fmt: str, focus: tuple[str, ...], as_of: Any, no_store: bool
) -> int:
    """Check the graph against the regulations; exit 0 conforms, 1 violations, 2 error."""
    from rdflib import URIRef

    from govkg.validate.output import write_report
    from govkg.validate.run import load_shapes, validate_store

    bundle = load_shapes(jurisdiction_key)
    with ctx.progress(len(bundle.checks), "validating", "check") as bar:
        report = validate_store(
            ctx.store(create=False),
            jurisdiction_key=jurisdiction_key,
            focus=[URIRef(f) for f in focus] or None,
            as_of=as_of.date() if as_of else None,
            shapes=bundle,
            store_report=not no_store,
            progress=bar.update,
        )
    write_report(report, fmt, sys.stdout)
    return OK if report.conforms else PROBLEMS


# -- serve --------------------------------------------------------------------------------
@cli.command()
@store_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="WSGI worker processes.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 256), help="Threads per worker.")
@click.option("--timeout", "query_timeout", type=float, help="Query time limit in seconds.")
@click.option(
    "--token",
    "update_token",
    envvar="GOVKG_UPDATE_TOKEN",
    help="Bearer token that opens /update and the graph store (env GOVKG_UPDATE_TOKEN).",
)
@click.option(
    "--rate-limit",
    "rate_limit",
    type=click.IntRange(0),
    help="Requests to expensive routes per client IP and minute, per worker; 0 turns it off "
    "(env GOVKG_RATE_LIMIT_PER_MINUTE; default 600).",
)
@pass_ctx
def serve(
    ctx: Context,
    host: str,
    port: int,
    workers: int,
    threads: int,
    query_timeout: float | None,
    update_token: str | None,
    rate_limit: int | None,
) -> int:
    """Serve the SPARQL endpoint, the DCAT feeds and the site with a production WSGI server."""
    from server.security import SERVE_RATE_LIMIT
    from server.serve import run

    if rate_limit is None:
        rate_limit = SERVE_RATE_LIMIT if ctx.config.rate_limit_per_minute is None else ctx.config.rate_limit_per_minute
    config = ctx.config.with_(
        **{k: v for k, v in {"query_timeout": query_timeout, "update_token": update_token}.items() if v is not None},
        rate_limit_per_minute=rate_limit,
    )
    ctx.store()  # create or check the store before workers fork
    run(config, host=host, port=port, workers=workers, threads=threads)
    return OK


# -- harvest ------------------------------------------------------------------------------
@cli.command()
@store_options
@click.argument("source")
@click.option(
    "--kind",
    type=click.Choice(["auto", "dcat", "hydra", "sparql", "ckan"]),
    default="auto",
    show_default=True,
    help="What the source is (auto: guess from the response).",
)
@click.option("--graph", help="Named graph for this source (default: graph/harvest/<host+path>).")
@click.option("--max-bytes", type=int, help="Size limit for the whole source.")
@click.option("--max-seconds", type=float, help="Time limit for the whole source.")
@click.option("--format", "fmt", help="RDF syntax of a file source when the extension does not tell.")
@pass_ctx
def harvest(
    ctx: Context,
    source: str,
    kind: str,
    graph: str | None,
    max_bytes: int | None,
    max_seconds: float | None,
    fmt: str | None,
) -> int:
    """Harvest a DCAT catalogue: a file or URL, a Hydra-paged feed, a SPARQL endpoint or a CKAN site."""
    from loaders.harvest import harvest as run_harvest

    report = run_harvest(
        ctx.store(),
        source,
        kind=kind,
        graph=graph,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        fmt=fmt,
        progress=None if ctx.quiet else ctx.info,
    )
    click.echo(report.summary())
    return PROBLEMS if report.rejected else OK


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and map errors to exit codes."""
    try:
        rv = cli.main(args=argv, prog_name="govkg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(USAGE)
    except click.ClickException as e:
        e.show()
        sys.exit(USAGE)
    except GovkgError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(OK)
    sys.exit(rv if isinstance(rv, int) else OK)


def command(name: str) -> Callable[..., Any]:
    """Register a subcommand from another module of the core (validate, harvest, serve)."""
    return cli.command(name)  # type: ignore[no-any-return]
