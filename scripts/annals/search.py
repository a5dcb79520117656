"""Index a built site for search with Pagefind: the paragraphs of the document pages, with speaker and year filters.

render_document marks what is indexed: the paragraphs stand inside `data-pagefind-body`, and a hidden block gives
the filters (`speaker`, `year`) and metadata (`title`, `date`, `iso`, `turns`). Pagefind writes the index to
`pagefind/` at the site's root, where docs/javascripts/search.js loads it, chunk by chunk, as queries need it.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
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
INDEXED = re.compile(r"Indexed (\d+) pages?\b")


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
    shards = [f"{BUNDLE}-{i + 1}/" for i in range(1, len(parts))]
    (site_dir / BUNDLE / "annals-shards.json").write_text(json.dumps(shards) + "\n", encoding="utf-8")
    return measure(site_dir, indexed)


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
    """Run Pagefind on the document pages under pages_dir, writing site_dir/bundle; return the pages indexed."""
    command = [str(pagefind_binary()), "--site", str(pages_dir), "--output-path", str(site_dir / bundle),
               "--glob", PAGES]
    for selector in NOT_TEXT:
        command += ["--exclude-selectors", selector]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise AnnalsError(Problem(str(site_dir), 0, f"Pagefind could not run: {exc}")) from None
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()[-5:]
        raise AnnalsError(Problem(str(site_dir), 0, "Pagefind failed to index the site: " + " / ".join(detail)))
    for line in run.stdout.splitlines():
        log.debug("pagefind: %s", line)
    for name in UNUSED:
        (site_dir / bundle / name).unlink(missing_ok=True)
    if not fix_order(site_dir / bundle):
        log.warning("search: Pagefind's filter lists could not be put in order; the index may differ between builds")
    indexed = INDEXED.search(run.stdout)
    return int(indexed.group(1)) if indexed else 0


def measure(site_dir: Path, pages: int = 0) -> SearchIndex:
    """Return the sizes of a site's search index (folder pagefind/) and of Pagefind's code beside it."""
    bundles = [Path(site_dir) / BUNDLE, *Path(site_dir).glob(f"{BUNDLE}-*")]
    files = [f for bundle in bundles if bundle.is_dir() for f in bundle.rglob("*") if f.is_file()]
    is_code = [f.suffix in (".js", ".css", ".pagefind") for f in files]
    code = sum(f.stat().st_size for f, c in zip(files, is_code) if c)
    index = sum(f.stat().st_size for f, c in zip(files, is_code) if not c)
    return SearchIndex(pages, index, code, len(files))
