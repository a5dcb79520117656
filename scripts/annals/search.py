"""Index a built site for search with Pagefind: the paragraphs of the document pages, with speaker and year filters.

render_document marks what is indexed: the paragraphs stand inside `data-pagefind-body`, and a hidden block gives
the filters (`speaker`, `year`) and metadata (`title`, `date`, `iso`, `turns`). Pagefind writes the index to
`pagefind/` at the site's root, where docs/javascripts/search.js loads it, chunk by chunk, as queries need it.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from annals.errors import AnnalsError, Problem

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the index's folder in the site
PAGES = "documents/*/*/index.html"  # document pages; no other page has a data-pagefind-body
# Inside the indexed paragraphs but not their words: permalinks, speakers' labels (a filter instead), badges.
NOT_TEXT = (".annals-pilcrow", ".annals-speaker", ".annals-badge", ".headerlink")
# Pagefind's ready-made interfaces, which the site does not use (search.js calls Pagefind's API).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
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


def index_site(site_dir: Path) -> SearchIndex:
    """Index the document pages of a built site into site_dir/pagefind, replacing any index there."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
    command = [str(pagefind_binary()), "--site", str(site_dir), "--output-subdir", BUNDLE, "--glob", PAGES]
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
        (site_dir / BUNDLE / name).unlink(missing_ok=True)
    indexed = INDEXED.search(run.stdout)
    return measure(site_dir, int(indexed.group(1)) if indexed else 0)


def measure(site_dir: Path, pages: int = 0) -> SearchIndex:
    """Return the sizes of a site's search index (folder pagefind/) and of Pagefind's code beside it."""
    bundle = Path(site_dir) / BUNDLE
    files = [f for f in bundle.rglob("*") if f.is_file()] if bundle.is_dir() else []
    is_code = [f.suffix in (".js", ".css", ".pagefind") for f in files]
    code = sum(f.stat().st_size for f, c in zip(files, is_code) if c)
    index = sum(f.stat().st_size for f, c in zip(files, is_code) if not c)
    return SearchIndex(pages, index, code, len(files))
