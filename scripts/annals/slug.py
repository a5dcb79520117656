"""ASCII slugs for ids, URLs and file names."""
from __future__ import annotations

import re

from anyascii import anyascii


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case ASCII slug of `text` (transliterated: "Алиев" -> "aliev"), cut at a word within `limit`."""
    ascii_text = anyascii(text.replace("’", "").replace("'", ""))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug
