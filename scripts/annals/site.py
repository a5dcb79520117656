"""Run MkDocs on the archive: an atomic `annals build`, and `annals serve`."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from annals.build import Laps, no_laps
from annals.generate import generate
from annals.errors import AnnalsError, Problem
from annals.search import index_site
from annals.write import swap_in

log = logging.getLogger(__name__)
NO_SITE_URL = ("the site's address is not set: the feed, sitemap.xml, canonical links, citations and TEI identifiers "
               "use relative addresses, and sitemap.xml lists no page (set site_url in mkdocs.yml, or build with "
               "--site-url https://...)")


def load_mkdocs_config(config_file: Path, sources: Path | None, registry: Path | None, **overrides):
    """Load mkdocs.yml, pointing the annals plugin at the given sources and registry folders."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise AnnalsError(Problem(str(config_file), 0, "MkDocs configuration not found",
                                  "run annals from the project folder, or pass --config-file"))
    point_at(sources, registry)
    try:
        config = load_config(str(config_file), **overrides)
    except ConfigurationError as exc:
        raise AnnalsError(Problem(str(config_file), 0, f"invalid MkDocs configuration: {exc}")) from None
    return config, config.plugins["annals"]


def point_at(sources: Path | None, registry: Path | None) -> None:
    """Tell mkdocs.yml (through its !ENV settings) which sources and registry to read."""
    for name, folder in (("ANNALS_SOURCES", sources), ("ANNALS_REGISTRY", registry)):
        if folder is not None:
            os.environ[name] = str(folder.resolve())


def build_site(config_file: Path, sources: Path | None, registry: Path | None, site_dir: Path | None,
               strict: bool = False, crosslinks: bool = True, search: bool = True, lap=no_laps,
               **overrides) -> Path:
    """Build the site into a temporary folder, index it for search, and swap it in only when both succeeded.

    `overrides` are MkDocs settings (as load_config takes them): site_url for a one-off address, Material's
    search for a comparison ...; `lap` times the stages (annals bench stages).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    if overrides.get("site_url") is None:
        overrides.pop("site_url", None)  # not given: mkdocs.yml's own, if any
    config, plugin = load_mkdocs_config(config_file, sources, registry, strict=strict, **overrides)
    target = Path(site_dir) if site_dir is not None else Path(config.site_dir)
    plugin.generated, times = apart(generate_timed, plugin.sources_dir(config), plugin.registry_dir(config), crosslinks,
                                    config.site_url or "")
    if isinstance(lap, Laps):
        lap.merge(times)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    config.site_dir = str(staging.resolve())
    try:
        lap("start")
        apart(build, config)
        lap("mkdocs")
        if search:
            found = index_site(staging)
            lap("search index")
            log.info("search: %d pages indexed, %d bytes of index", found.pages, found.index_bytes)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise AnnalsError(Problem(str(config_file), 0, f"MkDocs build failed: {exc}",
                                  f"the previous site in {target} is unchanged")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    if not config.site_url:
        log.warning(NO_SITE_URL)
    return target


def generate_timed(sources: Path, registry: Path | None, crosslinks: bool, site_url: str = ""):
    """generate(), with the time of each of its stages."""
    laps = Laps()
    return generate(sources, registry, crosslinks, lap=laps, site_url=site_url), laps.times


def apart(func, *args):
    """Return func(*args), run in a forked process of its own; re-raise its error here.

    Each stage of a build holds much in memory: the archive, then MkDocs' pages, then the search index.
    Run apart, each gives its memory back to the system when it ends, before the next needs its own. Where
    forking is not safe (another thread runs) or possible, func runs here.
    """
    import multiprocessing
    import pickle

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return func(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=run_apart, args=(send, func, args))
    child.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:  # it died without a word (killed, out of memory)
        child.join()
        outcome = ("crash", f"the build process ended with code {child.exitcode}")
    child.join()
    kind, detail = outcome
    if kind == "mkdocs":
        from mkdocs.exceptions import MkDocsException
        raise MkDocsException(detail)
    if kind == "os":
        raise OSError(detail)
    if kind == "annals":
        raise AnnalsError(pickle.loads(detail))
    if kind == "crash":
        raise RuntimeError(f"the site build failed: {detail}")
    return pickle.loads(detail)


def run_apart(send, func, args) -> None:
    """The forked side of apart: run, and send back ("ok", the result pickled) or the kind and detail of the error."""
    import pickle
    import traceback

    from mkdocs.exceptions import MkDocsException

    try:
        outcome = ("ok", pickle.dumps(func(*args)))
    except MkDocsException as exc:
        outcome = ("mkdocs", str(exc))
    except OSError as exc:
        outcome = ("os", str(exc))
    except AnnalsError as exc:
        outcome = ("annals", pickle.dumps(exc.problems))
    except BaseException:  # noqa: BLE001 - reported in the parent, with its traceback
        outcome = ("crash", traceback.format_exc())
    send.send(outcome)
    send.close()


def serve_site(config_file: Path, sources: Path | None, registry: Path | None, dev_addr: str) -> None:
    """Serve the site with live reload; edits to sources and registry rebuild the pages."""
    from mkdocs.commands.serve import serve

    config, plugin = load_mkdocs_config(config_file, sources, registry)
    generate(plugin.sources_dir(config), plugin.registry_dir(config), site_url=config.site_url or "")  # errors first
    serve(str(config_file), livereload=True, build_type="dirty", dev_addr=dev_addr)  # rebuild only what moved
