"""Index a built site for search with Pagefind: the paragraphs of the document pages, with speaker and year filters.

render_document marks what is indexed: the paragraphs stand inside `data-pagefind-body`, and a hidden block gives
the filters (`speaker`, `year`) and metadata (`title`, `date`, `iso`, `turns`). Pagefind writes the index to
`pagefind/` at the site's root, where docs/javascripts/search.js loads it, chunk by chunk, as queries need it.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annals import progress
from annals.errors import AnnalsError, Problem
from annals.pagefind_order import fix_order

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the index's folder in the site
PAGES = "documents/*/*/index.html"  # document pages; no other page has a data-pagefind-body
# Inside the indexed paragraphs but not their words: permalinks, speakers' labels (a filter instead), badges.
NOT_TEXT = (".annals-pilcrow", ".annals-speaker", ".annals-badge", ".headerlink")
# Pagefind's ready-made interfaces, which the site does not use (search.js calls Pagefind's API).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
PART_PAGES = 300  # document pages in one part of the index, at most: Pagefind indexes it in a second or two
PART_BYTES = 100 * 2**20  # ... and their bytes: Pagefind needs about 6 bytes of memory a byte of page
SHARDS = "annals-shards.json"  # in the first part's folder: the folders of the others, which search.js merges


@dataclass(frozen=True)
class SearchIndex:
    """What the indexer made: pages indexed, bytes of the index (chunks, fragments, filters) and of the code, the
    files; its parts (folder: the key of its pages) and how many of them were indexed again (the others reused)."""

    pages: int
    index_bytes: int
    code_bytes: int
    files: int
    parts: dict = field(default_factory=dict)
    indexed: int = 0

    def as_dict(self) -> dict:
        return {"pages": self.pages, "index_bytes": self.index_bytes, "code_bytes": self.code_bytes,
                "files": self.files, "parts": len(self.parts), "parts_indexed": self.indexed}


def pagefind_binary() -> Path:
    """Return the Pagefind executable that the pagefind[bin] package installs."""
    try:
        from pagefind_bin import get_executable
        return get_executable()
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found:
            return Path(found)
    raise AnnalsError(Problem("pagefind", 0, "the Pagefind indexer is not installed",
                              "pip install 'pagefind[bin]' (a dependency of annals: pip install -e .)"))


def index_site(site_dir: Path, previous: Path | None = None, before: dict | None = None,
               part_pages: int = PART_PAGES, part_bytes: int = PART_BYTES) -> SearchIndex:
    """Index the document pages of a built site into site_dir/pagefind (and pagefind-*/ for its other parts).

    The index is made in parts (`parts_of`: a decade, a year, or a stable share of a year), each indexed on its
    own (Pagefind holds a part in memory while it indexes it) into a folder of its own; the first part's folder,
    pagefind/, lists the others in annals-shards.json, and search.js merges them into one search.

    An incremental build gives the previous site `previous`, whose files site_dir holds as hard links, and its
    parts `before` (folder: key): a part whose folder, pages and key are the same and none of whose pages was
    written again (each is still the previous site's file, the same inode) is kept as it is; the others are made
    again. A part's files depend on its pages' bytes alone, so the index is the same as one made whole.
    """
    site_dir = Path(site_dir)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob(PAGES))
    sizes = {page: (site_dir / page).stat().st_size for page in pages}
    parts = parts_of(pages, sizes, part_pages, part_bytes)
    folders = {bundle_name(i, name): part for i, (name, part) in enumerate(parts.items())}
    keys = {folder: part_key(part) for folder, part in folders.items()}
    keep = {f for f in folders if previous is not None and (before or {}).get(f) == keys[f]
            and (site_dir / f).is_dir() and all(same_file(site_dir / p, previous / p) for p in folders[f])}
    remove_index(site_dir, keep)
    if not pages:  # an archive with no document yet: nothing to index (the search page says search is unavailable)
        return measure(site_dir, 0)
    todo = [(folder, part) for folder, part in folders.items() if folder not in keep]
    with progress.stage("search index", len(todo), "parts") as stage, \
            concurrent.futures.ThreadPoolExecutor(max(1, min(os.cpu_count() or 1, len(todo)))) as pool:
        indexed = 0
        for _ in pool.map(lambda item: index_part(site_dir, *item), todo):
            indexed += 1
            stage.advance()
    bundles = [site_dir / folder for folder in folders]
    if not any(has_words(b) for b in bundles):
        for b in bundles:
            shutil.rmtree(b, ignore_errors=True)
        log.warning(NO_WORDS)
        return measure(site_dir, 0)
    shards = site_dir / BUNDLE / SHARDS
    shards.unlink(missing_ok=True)  # perhaps a link to the previous site's file: never written through
    shards.write_text(json.dumps([f"{folder}/" for folder in list(folders)[1:]]) + "\n", encoding="utf-8")
    found = measure(site_dir, len(pages))
    return dataclasses.replace(found, parts=keys, indexed=indexed)


def index_part(site_dir: Path, folder: str, part: list[str]) -> None:
    """Index one part's pages into site_dir/folder, on its own Pagefind service: the parts are indexed side by
    side, one per core (Pagefind takes a page at a time, and waits for the next), each into its own folder."""
    with tempfile.TemporaryDirectory(prefix=".annals-search-", dir=site_dir) as tmp:
        for page in part:  # the part's pages, linked (not copied) at the same paths
            (Path(tmp) / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site_dir / page, Path(tmp) / page)
        run_pagefind(Path(tmp), site_dir, folder)


def remove_index(site_dir: Path, keep: set[str] | frozenset[str] = frozenset()) -> None:
    """Remove the parts of the search index from a site (those not kept), as the previous site left them."""
    for old in [Path(site_dir) / BUNDLE, *Path(site_dir).glob(f"{BUNDLE}-*")]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def bundle_name(i: int, part: str) -> str:
    """The folder of a part of the index: the first is pagefind/ (search.js starts there), the others named by
    their part."""
    return BUNDLE if i == 0 else f"{BUNDLE}-{part}"


def parts_of(pages: list[str], sizes: dict[str, int], most: int = PART_PAGES,
             most_bytes: int = PART_BYTES) -> dict[str, list[str]]:
    """The parts of the index, by name: all the document pages while they fit in one part; else those
    (documents/<year>/<slug>/index.html) of a decade; a
    decade of more than `most` pages (or `most_bytes`) in one part a year; a year of more in 2, 4, 8 ... shares
    by a hash of each page's path. A page stays in its part as the archive grows (until its decade or year
    outgrows one part), so a change re-indexes the parts it touches and no other."""
    if fits(pages, sizes, most, most_bytes):  # a small archive: one index, which finds best (no part lacks a word)
        return {"all": list(pages)} if pages else {}
    decades: dict[str, list[str]] = {}
    for page in pages:
        year = page.split("/")[1]
        decades.setdefault(f"{year[:-1]}0s" if year.isdigit() and len(year) == 4 else year, []).append(page)
    parts: dict[str, list[str]] = {}
    for decade, group in sorted(decades.items()):
        if fits(group, sizes, most, most_bytes):
            parts[decade] = group
            continue
        years: dict[str, list[str]] = {}
        for page in group:
            years.setdefault(page.split("/")[1], []).append(page)
        for year, pages_of_year in sorted(years.items()):
            shares = 1
            while not fits(pages_of_year, sizes, most * shares, most_bytes * shares):
                shares *= 2
            if shares == 1:
                parts[year] = pages_of_year
                continue
            split_: dict[str, list[str]] = {}
            for page in pages_of_year:
                share = int(hashlib.sha256(page.encode("utf-8")).hexdigest()[:8], 16) % shares
                split_.setdefault(f"{year}-{share + 1}-of-{shares}", []).append(page)
            parts.update(sorted(split_.items(), key=lambda item: int(item[0].split("-")[1])))
    return parts


def fits(pages: list[str], sizes: dict[str, int], most: int, most_bytes: int) -> bool:
    return len(pages) <= most and sum(sizes[p] for p in pages) <= most_bytes


def part_key(pages: list[str]) -> str:
    """The key of a part's list of pages (its pages' bytes are checked by their files: `same_file`)."""
    return hashlib.sha256("\0".join(pages).encode("utf-8")).hexdigest()


def same_file(a: Path, b: Path) -> bool:
    """Whether a and b are one file (a hard link to the other): a page the build did not write again."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev)


NO_WORDS = ("search: no document has a word to index (their paragraphs are empty or only punctuation), so the site has "
            "no search index: its search page says that search is unavailable")


def has_words(bundle: Path) -> bool:
    """Tell whether Pagefind indexed any word into a bundle: it lists a language for the pages it found words in
    (a bundle of pages without a word has none, and Pagefind's command line refuses to make it)."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(entry.get("languages"))


def run_pagefind(pages_dir: Path, site_dir: Path, bundle: str) -> int:
    """Index the document pages under pages_dir into site_dir/bundle; return the pages indexed.

    Through Pagefind's API, in the pages' sorted order (annals.pagefind_service), not its command line, which
    numbers them in the order the file system lists them: so the index is the same bytes on any file system.
    """
    from annals.pagefind_service import index_pages

    binary = pagefind_binary()  # where it is missing, say so plainly
    pages = sorted(p.relative_to(pages_dir).as_posix() for p in pages_dir.glob(PAGES))
    try:
        indexed = index_pages(binary, pages_dir, pages, site_dir / bundle, NOT_TEXT)
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        raise AnnalsError(Problem(str(site_dir), 0, f"Pagefind failed to index the site: {exc}")) from None
    for name in UNUSED:
        (site_dir / bundle / name).unlink(missing_ok=True)
    if not fix_order(site_dir / bundle):
        log.warning("search: Pagefind's filter lists could not be put in order; the index may differ between builds")
    return indexed


def measure(site_dir: Path, pages: int = 0) -> SearchIndex:
    """Return the sizes of a site's search index (folder pagefind/) and of Pagefind's code beside it."""
    bundles = [Path(site_dir) / BUNDLE, *Path(site_dir).glob(f"{BUNDLE}-*")]
    files = [f for bundle in bundles if bundle.is_dir() for f in bundle.rglob("*") if f.is_file()]
    is_code = [f.suffix in (".js", ".css", ".pagefind") for f in files]
    code = sum(f.stat().st_size for f, c in zip(files, is_code) if c)
    index = sum(f.stat().st_size for f, c in zip(files, is_code) if not c)
    return SearchIndex(pages, index, code, len(files))
