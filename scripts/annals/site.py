"""Run MkDocs on the archive: an atomic `annals build`, and `annals serve`.

A build holds a lock on its site folder from start to end (a second build of the same site waits for it);
it first repairs what a stopped build left (`write.repair_swap`), builds into a staging folder beside the
site, and swaps that in whole (`write.swap_in`), so that the site folder is never missing. Its stages run in
child processes of their own (`apart`); stopping the build (SIGTERM, SIGINT) stops them too.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import threading
from pathlib import Path

from annals import progress
from annals.load import Laps, no_laps
from annals.generate import generate
from annals.errors import AnnalsError, Problem, collapse, summarise
from annals.parallel import outcome_of, result_of
from annals.search import index_site, remove_index
from annals.write import locked, make_staging, publishable, remove, repair_swap, spare, swap_in

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
               full: bool = False, told=None, jobs: int | None = None, **overrides) -> Path:
    """Build the site into a temporary folder, index it for search, and swap it in only when both succeeded.

    The build is incremental where it can be (annals.incremental): the staging folder starts as hard links to
    the previous site, MkDocs renders only the pages whose generated Markdown changed, and Pagefind indexes only
    the parts of the index whose pages changed; where nothing changed, the previous site stays as it is. `full`
    forces a full build. `jobs`: how many processes render the pages at once (annals.shards; default: one per
    core). `told`, if given, receives what the build did (an incremental.Outcome, which says it in
    one line). `overrides` are MkDocs settings (as load_config takes them): site_url for a one-off address,
    Material's search for a comparison ...; `lap` times the stages (annals bench stages).
    """
    import time

    from annals.incremental import outcome, plan
    from annals.plugin import THEME

    started = time.monotonic()

    if overrides.get("site_url") is None:
        overrides.pop("site_url", None)  # not given: mkdocs.yml's own, if any
    config, plugin = load_mkdocs_config(config_file, sources, registry, strict=strict, **overrides)
    target = (Path(site_dir) if site_dir is not None else Path(config.site_dir)).absolute()
    with stopped_by_sigterm(), site_locked(target):
        readied = []  # the spare site made ready while the archive is generated (a core is mostly free then)
        plugin.generated, times = apart(generate_timed, plugin.sources_dir(config), plugin.registry_dir(config),
                                        crosslinks, config.site_url or "",
                                        meanwhile=None if full else lambda: readied.append(ready_spare(target)))
        if isinstance(lap, Laps):
            lap.merge(times)
        generated = plugin.generated
        plugin.plan = plan(config, generated, THEME, target, full, search)
        found = None
        if plugin.plan.is_nothing:  # the previous site is what this build would make: it stays
            from annals.plugin import say_problems
            say_problems(generated)
            found = kept_index(plugin.plan) if search else None
        else:
            from annals.bundle import update_bundle
            with beside(update_bundle, generated.folder):  # the corpus download, made while the site is
                found = make_site(config, plugin, target, search, lap, config_file, jobs, ready=any(readied))
    if told is not None:
        told(dataclasses.replace(outcome(plugin.plan, generated.files, Path(config.docs_dir), found,
                                         time.monotonic() - started), problems=generated.problems))
    if not config.site_url:
        log.warning(NO_SITE_URL)
    return target


def make_site(config, plugin, target: Path, search: bool, lap, config_file: Path, jobs: int | None = None,
              ready: bool = False):
    """Build the site in a staging folder beside `target` (for an incremental build, filled first with links to
    the previous site's files), index it for search, and swap it in; return the search index made. `ready`: the
    spare site holds those links already (ready_spare)."""
    from mkdocs.exceptions import MkDocsException

    from annals.incremental import rendered_pages, write_record
    from annals.shards import jobs_default, render_pages

    staging = writing(target.parent, make_staging, target)
    config.site_dir = str(staging.resolve())
    try:
        start_from(target, staging, plugin.plan.is_full, ready)
        lap("start")
        pages, _ = rendered_pages(plugin.plan, plugin.generated.files, Path(config.docs_dir))
        with progress.stage("MkDocs", pages, "pages"):  # counted by the plugin, page by page
            apart(render_pages, config, plugin.plan.is_full, jobs or jobs_default(), pages)
        lap("mkdocs")
        found = None
        if search:
            previous = None if plugin.plan.is_full else target
            found = index_site(staging, previous, plugin.plan.parts)
            lap("search index")
            log.info("search: %d pages indexed, %d bytes of index, %d of %d parts indexed", found.pages,
                     found.index_bytes, found.indexed, len(found.parts))
        else:
            remove_index(staging)
    except (MkDocsException, OSError) as exc:
        remove(staging)
        raise AnnalsError(Problem(str(config_file), 0, f"MkDocs build failed: {exc}",
                                  f"the previous site in {target} is unchanged")) from None
    except BaseException:
        remove(staging)
        raise
    parts = found.parts if found else {}
    publish(staging, target, keep=not plugin.plan.is_full,
            then=lambda sizes: write_record(staging, plugin.plan, parts, sizes))
    return found


def start_from(target: Path, staging: Path, full: bool, ready: bool = False) -> None:
    """Fill the (empty) staging folder of an incremental build with the previous site's files, as links: from the
    site the previous build replaced, where it kept it (write.spare), changed where they differ
    (incremental.sync: much less work than linking every file again; none where `ready` says ready_spare did it),
    else from nothing (prefill). A full build starts empty, and has no use for a spare site."""
    from annals.incremental import prefill, sync

    kept = spare(target)
    if full:
        remove(kept)
    elif os.path.isdir(kept) and not os.path.islink(kept) and renamed(kept, staging):
        if not ready:
            sync(target, staging)  # a stop from the rename on leaves a staging folder: removed by the next build
    else:
        remove(kept)
        prefill(target, staging)


def ready_spare(target: Path) -> bool:
    """Make the spare site (write.spare) what start_from would make of it (incremental.sync), in place: done while
    the archive is generated, the links are ready when MkDocs starts. Whether it is ready; a spare it could not
    make ready is removed (start_from then links the site anew). The build holds the site's lock: nothing else
    changes the site or its spare meanwhile, and a stop half-way leaves a spare the next sync puts right."""
    from annals.incremental import sync

    kept = spare(target)
    if not (os.path.isdir(kept) and not os.path.islink(kept) and os.path.isdir(target)):
        return False
    try:
        sync(target, kept)
        return True
    except OSError as exc:
        log.debug("%s: the spare site could not be made ready (%s): the site is linked anew", kept, exc)
        remove(kept)
        return False


def renamed(folder: Path, to: Path) -> bool:
    """Rename `folder` onto the empty folder `to`; False where it cannot be."""
    try:
        os.rename(folder, to)
        return True
    except OSError:
        return False


def kept_index(plan_):
    """The previous site's search index, kept whole: what index_site says of it."""
    from annals.search import SearchIndex
    return SearchIndex(0, 0, 0, 0, dict(plan_.parts), 0)


@contextlib.contextmanager
def site_locked(target: Path):
    """Hold the lock of the site folder `target` (.<name>.lock beside it): a second build of the same site waits
    for the first to end. Then repair what a stopped build left beside it."""
    writing(target.parent, target.parent.mkdir, parents=True, exist_ok=True)
    busy = f"{target}: another build of this site is running; waiting for it to end"
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(target.with_name(f".{target.name}.lock"), busy))
        except OSError as exc:
            raise unwritable(target.parent, exc) from None
        writing(target.parent, repair_swap, target)
        yield


def publish(staging: Path, target: Path, keep: bool = False, then=None) -> None:
    """Make the built site readable by all, then (given `then`) call then(the size of each of its files), and swap
    it in; if that fails, leave the site as it was. `keep`: keep the site it replaces as the spare (write.spare)
    that the next build starts from, where that is cheap: after an incremental build, whose files are mostly
    those of the site it replaced."""
    try:
        sizes = publishable(staging)
        if then is not None:
            then(sizes)
        swap_in(staging, target, spare(target) if keep else None)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            repair_swap(target)  # the old site back in place if it was set aside; the staging folder removed
        if isinstance(exc, OSError):
            raise unwritable(target.parent, exc) from None
        raise


def writing(folder: Path, func, *args, **kwargs):
    """func(*args, **kwargs), which writes in the site's parent folder `folder`: its OSError said as a Problem."""
    try:
        return func(*args, **kwargs)
    except OSError as exc:
        raise unwritable(folder if exc.filename is None else Path(exc.filename).parent, exc) from None


def unwritable(folder: Path, exc: OSError) -> AnnalsError:
    return AnnalsError(Problem(str(folder.absolute()), 0, f"cannot write the site here: {exc.strerror or exc}",
                               "choose another --site-dir, or make this folder writable"))


@contextlib.contextmanager
def stopped_by_sigterm():
    """Let SIGTERM stop the build as Ctrl-C does, by an exception (SystemExit, status 143): its child processes
    are then stopped (`apart`), its staging folder removed and its lock released, where the signal's default
    would end this process alone and leave MkDocs running. Only the main thread can set a handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def generate_timed(sources: Path, registry: Path | None, crosslinks: bool, site_url: str = ""):
    """generate(), with the time of each of its stages."""
    laps = Laps()
    return generate(sources, registry, crosslinks, lap=laps, site_url=site_url), laps.times


def apart(func, *args, meanwhile=None):
    """Return func(*args), run in a forked process of its own; re-raise its error here. `meanwhile`, if given, is
    called here while the process runs (before it, where func runs here); its error stops the process.

    Each stage of a build holds much in memory: the archive, then MkDocs' pages, then the search index.
    Run apart, each gives its memory back to the system when it ends, before the next needs its own. Where
    forking is not safe (another thread runs) or possible, func runs here.
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        return func(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=run_apart, args=(send, func, args, os.getpid()))
    with running(child):
        send.close()
        if meanwhile is not None:
            meanwhile()
        try:
            outcome = receive.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            outcome = None
    return result_of(outcome or ("crash", f"the build process ended with code {child.exitcode}"))


@contextlib.contextmanager
def beside(func, *args):
    """Run func(*args) in a process of its own while the block runs; wait for it when the block ends, or stop
    it if the block is left by an exception (SIGINT's, SIGTERM's, an error: `running`). What it returns or raises is not used: it does ahead of time
    work that the block also asks for, and finds done (or does, and reports on, itself). Where forking is not
    safe (another thread runs) or possible, it does not run."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        yield
        return
    with running(multiprocessing.get_context("fork").Process(target=run_beside, args=(func, args, os.getpid()))):
        yield


@contextlib.contextmanager
def running(child):
    """Start `child` (a forked multiprocessing Process) in a process group of its own for the block, and wait for
    it to end when the block ends; if the block, or the wait, is left by an exception (SIGINT's, SIGTERM's, an
    error), stop the child and every process it started instead.

    SIGINT and SIGTERM are held from before the fork until the block is entered: a signal that lands
    meanwhile is raised in the block, not between the fork and it, where it would leave the child running
    (and the interpreter, at exit, waiting for it). The child lets them through itself (end_with)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        child.start()
        with contextlib.suppress(OSError):  # also done by the child: whichever comes first, it has its own group
            os.setpgid(child.pid, child.pid)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held meanwhile is raised here
        yield
        child.join()
    except BaseException:
        with contextlib.suppress(OSError):
            os.killpg(child.pid, signal.SIGKILL)
        child.join()
        raise


STOPPING = {signal.SIGINT, signal.SIGTERM}


def run_beside(func, args, parent: int) -> None:
    """The forked side of `beside`."""
    end_with(parent)
    try:
        func(*args)
    except Exception as exc:  # the block does the same work, and says what fails
        log.debug("ahead of time, %s failed: %s", getattr(func, "__name__", func), exc)


def run_apart(send, func, args, parent: int) -> None:
    """The forked side of apart: run, and send back what outcome_of says."""
    end_with(parent)
    send.send(outcome_of(func, *args))
    send.close()


def end_with(parent: int) -> None:
    """Put this process, and those it will start (the workers of annals.parallel), in a process group of its own,
    which apart stops at once; and stop that group when `parent` ends, however it ends (Linux)."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, stop_group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the parent, which stops the group
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)  # held by the parent while it forked (running)
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass
    if os.getppid() != parent:  # it ended before the line above
        os.killpg(0, signal.SIGKILL)


def stop_group(signum, frame) -> None:
    """On SIGTERM, the group's leader (apart's child) ends with every process it started; any other process
    (a worker, which inherits the handler) ends alone, as by default."""
    if os.getpgrp() == os.getpid():
        os.killpg(0, signal.SIGKILL)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def serve_site(config_file: Path, sources: Path | None, registry: Path | None, dev_addr: str) -> None:
    """Serve the site with live reload: built as `annals build` builds it (incrementally, on every core) into a
    folder of the cache kept for this project, first, then again whenever a source, registry file, file of docs/
    or mkdocs.yml changes; an error in the sources is said, and the last good site stays served.

    This process builds: it runs no thread, so that each stage can fork its workers (annals.parallel). MkDocs'
    live-reload server, which watches the files, serves the pages with its reload script and reloads the
    browsers, runs in a child process of its own: on a change, it asks this process for a build (through a
    pipe) and waits for it. Stopping this process (Ctrl-C, SIGTERM) stops the server too (`running`)."""
    import multiprocessing
    from urllib.parse import urlsplit

    config, plugin = load_mkdocs_config(config_file, sources, registry, dev_addr=dev_addr)
    host, port = config.dev_addr.host, config.dev_addr.port
    mount = "/" + urlsplit(config.site_url or "/").path.strip("/")
    mount = mount.rstrip("/") + "/"
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}{mount}"
    site = served_folder(config_file, sources, registry)
    watched = [p for p in (Path(config.config_file_path), Path(config.docs_dir), plugin.sources_dir(config),
                           plugin.registry_dir(config)) if p is not None and p.exists()]

    def build() -> bool:
        """Build, saying what was done (and each kind of warning once) or what is wrong."""
        log.info("Building documentation...")
        told = []
        try:
            with quieter("mkdocs", "annals"):  # a line of each shard's work, the sources' warnings one by one
                build_site(config_file, sources, registry, site, site_url=url, told=told.append)
        except AnnalsError as exc:
            errors = [p for p in exc.problems if p.severity == "error"]
            for line in collapse(errors):
                log.error("%s", line)
            log.error("%d error(s): the site served is the last one built", len(errors))
            return False
        log.info("%s", told[0])
        for line in summarise(list(told[0].problems)):
            log.warning("%s", line)
        return True

    try:
        if not build():
            raise AnnalsError(Problem(str(config_file), 0, "the site could not be built: nothing is served",
                                      "correct what is said above, and start annals serve again"))
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe()
        child = context.Process(target=run_server, args=(theirs, host, port, site, mount, watched, os.getpid()))
        with stopped_by_sigterm(), running(child):
            theirs.close()
            while True:
                try:
                    asked = mine.recv()
                except EOFError:  # the server ended
                    break
                if isinstance(asked, tuple):  # it could not serve
                    raise AnnalsError(Problem(dev_addr, 0, f"cannot serve on {url}: {asked[1]}",
                                              "is another server running there? choose another --dev-addr"))
                mine.send(build())
    except KeyboardInterrupt:  # Ctrl-C: the server and any build are stopped (running, apart)
        log.info("Shutting down...")


@contextlib.contextmanager
def quieter(*names: str):
    """Let the loggers `names` say only warnings and errors while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logging.WARNING, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def served_folder(config_file: Path, sources: Path | None, registry: Path | None) -> Path:
    """Where `annals serve` builds the site of this project: a folder of the cache, kept between sessions."""
    import hashlib

    from annals.cache import cache_root
    name = "\0".join(str(p.resolve()) if p is not None else "" for p in (config_file, sources, registry))
    return cache_root() / "serve" / hashlib.sha256(name.encode()).hexdigest()[:16] / "site"


def run_server(pipe, host: str, port: int, site: Path, mount: str, watched: list[Path], parent: int) -> None:
    """The child of serve_site: MkDocs' live-reload server on the built site, watching `watched`; its builds
    are asked of the parent."""
    from mkdocs.livereload import LiveReloadServer

    end_with(parent)

    def builder() -> None:  # a failed build has said why, and left the last site: reloaded as it is
        pipe.send("build")
        pipe.recv()

    def error_page(code: int) -> bytes | None:
        try:
            return (site / f"{code}.html").read_bytes() if code in (404, 500) else None
        except OSError:
            return None

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site), mount_path=mount)
    server.error_handler = error_page
    for path in watched:
        server.watch(str(path))
    try:
        server.serve()
    except OSError as exc:  # the address taken, or not this machine's: said by the parent
        pipe.send(("cannot serve", exc.strerror or str(exc)))
    finally:
        server.shutdown()
