"""The render stage: the archive made into Markdown pages (pages.py plans them and renders documents and people;
one module per kind of page besides)."""
