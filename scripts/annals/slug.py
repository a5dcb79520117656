"""ASCII slugs for ids and URLs."""
from __future__ import annotations

import re
import unicodedata

TRANSLIT = str.maketrans({"’": "", "'": "", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ə": "e", "Ə": "e"})


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case ASCII slug of `text`, cut at a word boundary within `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(TRANSLIT)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug
