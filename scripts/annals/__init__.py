"""Annals: an archive of official meeting records, published with MkDocs."""

__version__ = "0.1.0"
