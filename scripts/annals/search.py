"""Index a built site for search with Pagefind: the paragraphs of the document pages, with speaker and year filters.

render_document marks what is indexed: the paragraphs stand inside `data-pagefind-body`, and a hidden block gives
the filters (`speaker`, `year`) and metadata (`title`, `date`, `iso`, `turns`). Pagefind writes the index to
`pagefind/` at the site's root, where docs/javascripts/search.js loads it, chunk by chunk, as queries need it.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
SHARD_BYTES = 200 * 2**20  # document pages indexed at once, by weight: Pagefind needs about 6 bytes of memory a byte


@dataclass(frozen=True)
class SearchIndex:
    """What the indexer made: pages indexed, and bytes of the index (chunks, fragments, filters) and of the code."""

    pages: int
    index_bytes: int
    code_bytes: int
    files: int

    def as_dict(self) -> dict:
        return {"pages": self.pages, "index_bytes": self.index_bytes, "code_bytes": self.code_bytes,
                "files": self.files}


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


def index_site(site_dir: Path, shard_bytes: int = SHARD_BYTES) -> SearchIndex:
    """Index the document pages of a built site into site_dir/pagefind, replacing any index there.

    Pagefind holds the whole index in memory while it builds it (about 6 times the pages' size), so an
    archive whose document pages weigh more than `shard_bytes` is indexed in parts of about equal weight,
    one at a time: pagefind/ and pagefind-2/, pagefind-3/ ..., listed in pagefind/annals-shards.json, which
    search.js merges into one search (Pagefind's mergeIndex). Each part costs a query one more small
    fetch of Pagefind's code and of the part's word list.
    """
    site_dir = Path(site_dir)
    for old in [site_dir / BUNDLE, *site_dir.glob(f"{BUNDLE}-*")]:
        shutil.rmtree(old, ignore_errors=True)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob(PAGES))
    if not pages:  # an archive with no document yet: nothing to index (the search page says search is unavailable)
        return measure(site_dir, 0)
    parts = split(pages, [(site_dir / page).stat().st_size for page in pages], shard_bytes)
    indexed = 0
    for i, part in enumerate(parts):
        bundle = BUNDLE if i == 0 else f"{BUNDLE}-{i + 1}"
        if len(parts) == 1:
            indexed += run_pagefind(site_dir, site_dir, bundle)
            continue
        with tempfile.TemporaryDirectory(prefix=".annals-search-", dir=site_dir) as tmp:
            for page in part:  # the part's pages, linked (not copied) at the same paths
                (Path(tmp) / page).parent.mkdir(parents=True, exist_ok=True)
                os.link(site_dir / page, Path(tmp) / page)
            indexed += run_pagefind(Path(tmp), site_dir, bundle)
    bundles = [site_dir / BUNDLE, *(site_dir / f"{BUNDLE}-{i + 1}" for i in range(1, len(parts)))]
    if not any(has_words(b) for b in bundles):
        for b in bundles:
            shutil.rmtree(b, ignore_errors=True)
        log.warning(NO_WORDS)
        return measure(site_dir, 0)
    shards = [f"{BUNDLE}-{i + 1}/" for i in range(1, len(parts))]
    (site_dir / BUNDLE / "annals-shards.json").write_text(json.dumps(shards) + "\n", encoding="utf-8")
    return measure(site_dir, indexed)


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


def split(pages: list[str], sizes: list[int], most: int) -> list[list[str]]:
    """The pages in as few runs of consecutive pages as keep each near or under `most` bytes, of about equal size."""
    count = max(1, -(-sum(sizes) // most))
    target, parts, weight = sum(sizes) / count, [[]], 0
    for page, size in zip(pages, sizes):
        if parts[-1] and weight + size / 2 > target * len(parts) and len(parts) < count:
            parts.append([])
        parts[-1].append(page)
        weight += size
    return parts


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
