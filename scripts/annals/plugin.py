"""The MkDocs plugin: read the sources at build time and add the generated pages and data files."""
from __future__ import annotations

import calendar
import datetime
import logging
import os
import re
import threading
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from annals import progress
from annals.errors import AnnalsError, collapse
from annals.render.data import BUNDLE

log = logging.getLogger("mkdocs.plugins.annals")
THEME = Path(__file__).parent / "theme"  # templates over Material's: main.html (feed link), partials/header.html (search box)


class AnnalsConfig(base.Config):
    """Options of the plugin; folders are relative to the folder of mkdocs.yml."""

    sources = c.Type(str, default="sources")
    registry = c.Type(str, default="registry")


class AnnalsPlugin(BasePlugin[AnnalsConfig]):
    """Generate the archive's pages (documents, people, indexes) and JSON exports from the sources."""

    generated = None  # the Generated files made beforehand (annals build); used once, then made again
    epoch = None  # the SOURCE_DATE_EPOCH this plugin set, if any
    bundling = None  # the thread making the corpus download while MkDocs renders the pages
    bundle_path: Path | None = None  # where it is made
    bundle_error: BaseException | None = None
    plan = None  # an incremental build's Plan (annals.incremental): which generated files changed; None: all
    shard: tuple[int, int] | None = None  # (i, N): this build renders the i-th of N shards of the pages (annals.shards)
    files: Files | None = None  # the site's files, as on_files left them
    order: dict[str, int] = {}  # each page's place in path order, for the shards

    def folder(self, config: MkDocsConfig, name: str) -> Path:
        """Return a configured folder as an absolute path."""
        return (Path(config.config_file_path or ".").parent / self.config[name]).resolve()

    def sources_dir(self, config: MkDocsConfig) -> Path:
        """Return the sources folder."""
        return self.folder(config, "sources")

    def registry_dir(self, config: MkDocsConfig) -> Path | None:
        """Return the registry folder, or None when there is none."""
        registry = self.folder(config, "registry")
        return registry if registry.is_dir() else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Put our templates (annals/theme: the header's search box) before the theme's own."""
        config.theme.dirs.insert(0, str(THEME))
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Generate the pages and data files (or find them unchanged) and add each to the site's files.

        The files stay on disk, written only when their bytes change: MkDocs reads each page when it
        builds it, and a dirty rebuild (annals serve) sees by their times which pages moved.
        """
        from annals.generate import generate

        generated, self.generated = self.generated, None
        try:
            generated = generated or generate(self.sources_dir(config), self.registry_dir(config),
                                              site_url=config.site_url or "")
        except AnnalsError as exc:
            raise PluginError(f"annals: the sources have errors:\n{exc}") from None
        say_problems(generated)
        self.fix_build_date(generated.newest)
        for path in generated.files:
            add_file(files, config, path, generated.root)
        if self.shard is None or self.shard[0] == 0:  # in shards, the first makes it, with the Data page
            self.start_bundle(generated.folder)
        self.bundle_path = generated.root / BUNDLE
        add_file(files, config, BUNDLE, generated.root)
        if self.plan is not None and not self.plan.is_full:
            from annals.incremental import apply
            apply(self.plan, files, generated.root, config)
        if self.shard is not None:
            self.take_shard(files)
        self.files = files
        return files

    def take_shard(self, files: Files) -> None:
        """Tell MkDocs' dirty build that only this shard's files changed (of those that did)."""
        self.order = {uri: i for i, uri in enumerate(sorted(f.src_uri for f in files.documentation_pages()))}
        for file in files:
            file.is_modified = (lambda was, mine: lambda: mine and was())(file.is_modified, self.is_mine(file))

    def is_mine(self, file: File) -> bool:
        """Whether this build renders or copies the file: in shards (annals.shards), every N-th page in path
        order, the Data page and every other file in the first; without shards, all."""
        from annals.render.data import PAGE

        return self.shard is None or in_shard(self.order, file.src_uri, *self.shard, PAGE)

    def start_bundle(self, folder: Path) -> None:
        """Make the corpus download (annals.bundle) in a thread: zlib compresses outside Python's lock, so it
        runs on the second core while MkDocs converts the pages on the first."""
        from annals.bundle import update_bundle

        def run() -> None:
            try:
                update_bundle(folder)
            except BaseException as exc:  # reported by on_env, in MkDocs' own thread
                self.bundle_error = exc

        self.bundle_error = None
        self.bundling = threading.Thread(target=run, name="annals-bundle")
        self.bundling.start()

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        """Wait for the corpus download: MkDocs copies it with the other static files next."""
        if self.bundling is not None:
            self.bundling.join()
            self.bundling = None
        if self.bundle_error is not None:
            error, self.bundle_error = self.bundle_error, None
            raise PluginError(f"annals: the corpus download could not be made: {error}")
        return env

    def on_build_error(self, *, error: Exception) -> None:
        """A build that fails waits for the corpus download it started: no thread goes on writing into a staging
        folder that is being removed, nor into the next build's."""
        if self.bundling is not None:
            self.bundling.join()
            self.bundling = None
        self.bundle_error = None

    def on_template_context(self, context, /, *, template_name: str, config: MkDocsConfig):
        """Let the 404 page work under any sub-path. A server answers with it for a missing address at any depth,
        so links relative to the page cannot work, and without site_url MkDocs can only make them absolute from
        the server's root. Its links are made relative to the site's root instead, which a small script in its
        head finds and sets as the page's <base> (theme/main.html)."""
        if template_name == "404.html" and not config.site_url:
            context["base_url"] = "."  # Material writes every address of the page through it (the url filter)
            context["annals_find_root"] = True
        return context

    def on_page_context(self, context, /, *, page, config: MkDocsConfig, nav):
        """Write the corpus download's size on the Data page, now that it is made."""
        from annals.render.data import BUNDLE_SIZE, PAGE, format_size

        if page.file.src_uri == PAGE and BUNDLE_SIZE in (page.content or ""):
            page.content = page.content.replace(BUNDLE_SIZE, format_size(self.bundle_path.stat().st_size))
        return context

    def on_page_markdown(self, markdown: str, /, *, page, config: MkDocsConfig, files: Files) -> str:
        """Lift our ready-made HTML blocks out of the page, so that Python-Markdown need not parse them."""
        from annals.render.common import HTML_END, HTML_START
        if HTML_START not in markdown:
            return markdown
        start, end = f"{HTML_START}\n", f"\n{HTML_END}"
        parts: list[str] = []
        blocks: list[str] = []
        at = 0
        while (i := markdown.find(start, at)) >= 0 and (j := markdown.find(end, i + len(start))) >= 0:
            blocks.append(markdown[i + len(start):j])  # found by str.find: a lazy regex over 16 MB is slower
            parts += [markdown[at:i], f"<!-- annals:block {len(blocks) - 1} -->"]
            at = j + len(end)
        page.annals_blocks = blocks
        return "".join(parts) + markdown[at:]

    def on_page_content(self, html: str, /, *, page, config: MkDocsConfig, files: Files) -> str:
        """Put the lifted HTML blocks back where they stood; mark what search indexes."""
        from annals.render.common import SEARCH_BODY
        if SEARCH_BODY[0] in html and SEARCH_BODY[1] in html:
            html = html.replace(SEARCH_BODY[0], "<div data-pagefind-body>", 1).replace(SEARCH_BODY[1], "</div>", 1)
        blocks = getattr(page, "annals_blocks", None)
        if blocks:
            html = re.sub(r"<!-- annals:block (\d+) -->", lambda m: blocks[int(m.group(1))], html)
            if getattr(page, "present_anchor_ids", None) is not None:  # the blocks' ids, for MkDocs' anchor check
                page.present_anchor_ids |= {i for b in blocks for i in BLOCK_ID.findall(b)}
        add_turns_toc(page, html)
        return html

    def on_post_page(self, output: str, /, *, page, config: MkDocsConfig) -> str:
        """Count the page rendered, for the build's progress (annals.progress)."""
        progress.advance()
        return output

    def fix_build_date(self, newest: datetime.date | None) -> None:
        """Date the build by its newest document, not the clock, so the same input gives the same site."""
        if os.environ.get("SOURCE_DATE_EPOCH") not in (None, self.epoch):
            return  # the caller chose a date (reproducible-builds convention): keep it
        newest = newest or datetime.date(1970, 1, 1)
        self.epoch = str(calendar.timegm(newest.timetuple()))
        os.environ["SOURCE_DATE_EPOCH"] = self.epoch

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        """Rebuild when a source or registry file changes."""
        for folder in (self.sources_dir(config), self.registry_dir(config)):
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        return server


# An id in our own HTML blocks (always double-quoted, never holding a quote: attr_text).
BLOCK_ID = re.compile(r'\sid="([^"]+)"')


def say_problems(generated) -> None:
    """Say the sources' warnings, collapsed (as every build says them, rendering or not)."""
    for line in collapse(list(generated.problems)):
        log.info(line)


TURN_START = re.compile(r'<p class="annals-turn (?![^"]*annals-cont)[^"]*" id="p(\d+)"><span class="annals-speaker">(.*?):</span>(.*?)</p>', re.S)
MIN_TURNS = 20  # documents with at least this many turns list them in the table of contents


def plain(fragment: str) -> str:
    """Return an HTML fragment as plain text (tags dropped, entities read, spaces collapsed)."""
    import html as html_lib
    text = re.sub(r'<a class="annals-pilcrow".*?</a>', "", fragment, flags=re.S)
    text = re.sub(r'<span class="annals-badge[^"]*"[^>]*>.*?</span>', "", text, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]*>", "", text)).split())


def first_words(text: str, n: int = 6) -> str:
    """Return the first n words of a text, with an ellipsis when there are more."""
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def add_turns_toc(page, html: str) -> None:
    """List a long transcript's turns ("12 · Speaker — first words…") in the page's table of contents."""
    import html as html_lib
    from mkdocs.structure.toc import AnchorLink
    if getattr(page, "toc", None) is None:
        return
    turns = TURN_START.findall(html)
    if len(turns) < MIN_TURNS:
        return
    parent = AnchorLink("Turns", f"p{turns[0][0]}", 2)
    for i, (k, who, text) in enumerate(turns, 1):
        title = f"{i} · {plain(who)} — {first_words(plain(text))}"
        parent.children.append(AnchorLink(html_lib.escape(title), f"p{k}", 3))
    items = page.toc.items
    if items and items[0].level == 1:  # Material lists the title's children: the turns go first among them
        items[0].children.insert(0, parent)
    else:
        items.insert(0, parent)


def add_file(files: Files, config: MkDocsConfig, path: str, root: Path) -> None:
    """Add the generated file `root/path` as docs/`path`, refusing to hide a hand-written file of that name."""
    if files.get_file_from_path(path) is not None:
        raise PluginError(f"annals: docs/{path} is generated from the sources; remove or rename the hand-written file")
    files.append(File.generated(config, path, abs_src_path=str(root / path)))


def in_shard(order: dict[str, int], uri: str | None, shard: int, jobs: int, data_page: str) -> bool:
    """Whether shard `shard` of `jobs` renders the file `uri` (a page: every jobs-th in path order, the Data page
    in the first; any other file: the first)."""
    if uri is None or uri not in order:
        return shard == 0
    return (0 if uri == data_page else order[uri] % jobs) == shard
