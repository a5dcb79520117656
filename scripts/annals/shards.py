"""MkDocs' page loop on every core: the pages rendered in shards, by one process each, at once.

MkDocs renders its pages one after another, in one process. A build with many pages to render runs N
MkDocs builds instead, forked from one process that has loaded the configuration: each reads the file list
and the navigation and renders every N-th page (in path order) into the same site folder, as MkDocs' dirty
build renders the pages it is told changed (annals.incremental). What is written once is written by the
first shard alone: the theme's and docs/' files, the 404 page and the sitemap, and the Data page with the
corpus download, which that shard makes (plugin.start_bundle) while it renders.

A page's HTML does not depend on the other pages being rendered: the navigation's titles are mkdocs.yml's,
and the tests compare a build in shards with one in a single process, byte for byte. The one check that
looks across pages, that a link's #anchor exists on the page it points to, is made here once every shard
is done, from what each found (the anchors of its pages, and their links to anchors), with MkDocs' own
message and level; the shards leave it out.
"""
from __future__ import annotations

import logging
import os


log = logging.getLogger("mkdocs.structure.pages")  # where MkDocs says an anchor is missing

MIN_PAGES = 200  # fewer pages to render: one process (forking and reading the navigation again cost more)


def jobs_default() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def render_pages(config, full: bool, jobs: int, pages: int) -> None:
    """Build the site's pages with MkDocs (full: every page, else those the plugin's plan says changed), in
    `jobs` shards when there are at least MIN_PAGES `pages` to render."""
    import multiprocessing

    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    from annals.incremental import dirty_build

    jobs = min(jobs, max(1, pages // (MIN_PAGES // 2)))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return build(config) if full else dirty_build(config)
    level = config.validation.links.anchors
    found = run_shards(config, jobs)
    seen = {uri: anchors for shard in found for uri, (_, anchors, _) in shard.items() if anchors is not None}
    warned = validate(found, seen, level)
    if warned and config.strict:
        raise Abort(f"Aborted with {warned} warnings in strict mode!")


def validate(found: list[dict], seen: dict[str, set[str] | None], level: int) -> int:
    """MkDocs' check of links to anchors (Page.validate_anchor_links), over the pages of every shard, in the
    order MkDocs checks them; return how many warnings it gave."""
    warned = 0
    pages = sorted(((order, uri, links) for shard in found for uri, (order, _, links) in shard.items() if links),
                   key=lambda page: page[0])  # a page's links are found where it is rendered: in one shard
    for _, uri, links in pages:
        for target, anchors in links.items():
            for anchor, original in anchors.items():
                present = seen.get(target)
                if present is None or anchor in present:
                    continue
                problem = ("there is no such anchor on this page" if target == uri else
                           f"the doc '{target}' does not contain an anchor '#{anchor}'")
                context = " This seems to be a footnote that is never referenced." \
                    if target == uri and anchor.startswith("fnref:") else ""
                log.log(level, f"Doc file '{uri}' contains a link '{original}', but {problem}.{context}")
                warned += level >= logging.WARNING
    return warned


def run_shards(config, jobs: int) -> list[dict]:
    """Fork `jobs` processes, shard i building every jobs-th page from the i-th; return what each found of its
    pages' anchors (shard_build). A shard that fails fails the build, with its message."""
    import multiprocessing

    from annals.parallel import result_of

    context = multiprocessing.get_context("fork")
    children = []
    for i in range(jobs):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=shard_main, args=(send, config, i, jobs), name=f"annals-shard-{i}")
        child.start()
        send.close()
        children.append((child, receive))
    results, failed = [], []
    try:
        for i, (child, receive) in enumerate(children):
            try:
                outcome = receive.recv()
            except EOFError:
                child.join()
                outcome = "mkdocs", (f"the process of shard {i + 1} of {jobs} ended with code {child.exitcode} "
                                     "(killed, or out of memory: --jobs 1 needs less)")
            (results if outcome[0] == "ok" else failed).append(outcome)
    finally:
        for child, receive in children:
            if failed:
                child.kill()
            child.join()
            receive.close()
    return [result_of(outcome) for outcome in failed[:1] + results]  # the first failure, if any, raised


def shard_main(send, config, shard: int, jobs: int) -> None:
    """A shard's process: build its pages, send back what outcome_of says (its anchors, or its error)."""
    from annals.parallel import outcome_of

    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: ends with the build (Linux)
    except (AttributeError, OSError):
        pass
    send.send(outcome_of(shard_build, config, shard, jobs))
    send.close()


def shard_build(config, shard: int, jobs: int) -> dict[str, tuple[int, set[str] | None, dict]]:
    """Build shard `shard` of `jobs`: MkDocs' dirty build, told that only this shard's pages (and, in the first,
    the other files) changed, without its check of anchors. Return, for each page: its place in MkDocs' order,
    its anchors (None where it was not rendered here), and its links to anchors ({target page: {anchor: link}})."""
    from annals.incremental import dirty_build
    from annals.plugin import AnnalsPlugin

    plugin = next(p for p in config.plugins.values() if isinstance(p, AnnalsPlugin))
    plugin.shard = (shard, jobs)
    config.validation.links.anchors = logging.DEBUG  # checked across the shards, by render_pages
    if shard:
        config.theme.static_templates = set()  # the 404 page and sitemap: written by the first shard
        config.extra_templates = []
        for name in ("omitted_files", "not_found", "absolute_links"):  # said once, by the first shard
            if hasattr(config.validation.nav, name):
                setattr(config.validation.nav, name, logging.DEBUG)
    dirty_build(config)
    found = {}
    for order, file in enumerate(plugin.files.documentation_pages()):
        page = file.page
        if page is None:
            continue
        links = {to.src_uri: dict(anchors) for to, anchors in (getattr(page, "links_to_anchors", None) or {}).items()}
        found[file.src_uri] = (order, page.present_anchor_ids, links)  # None: not rendered here
    return found
