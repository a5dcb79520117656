"""Turn numbers and the table of contents of turns on long transcripts (issue 7)."""
from __future__ import annotations

from types import SimpleNamespace

from mkdocs.structure.toc import TableOfContents

from annals.plugin import MIN_TURNS, AnnalsPlugin, add_turns_toc
from test_reading import browser, longest_document, open_page, site  # noqa: F401  (fixtures shared)

HOSTILE = "<img src=x onerror=alert(1)>"


def turn(k: int, who: str, text: str, cont: bool = False) -> str:
    if cont:
        return f'<p class="annals-turn annals-cont annals-c1" id="p{k}">{text} <a class="annals-pilcrow" href="#p{k}">¶</a></p>'
    return (f'<p class="annals-turn annals-c1" id="p{k}"><span class="annals-speaker">'
            f'<span class="annals-badge annals-c1" aria-hidden="true">AL</span> <a href="../x/">{who}</a>:</span> '
            f'{text} <a class="annals-pilcrow" href="#p{k}" title="Link to this paragraph">¶</a></p>')


def page_with(n: int, who: str = "Ann Lee") -> tuple[SimpleNamespace, str]:
    html = ['<p class="annals-narration" id="p1">Narration.</p>']
    for i in range(n):
        html.append(turn(2 * i + 2, who, f"Words number {i} one two three four five six seven"))
        html.append(turn(2 * i + 3, who, "More.", cont=True))
    return SimpleNamespace(toc=TableOfContents([]), annals_blocks=None), "\n".join(html)


def test_a_long_transcript_lists_its_turns_in_the_toc():
    page, html = page_with(MIN_TURNS)
    out = AnnalsPlugin().on_page_content(html, page=page, config=None, files=None)
    assert out == html  # the content is unchanged
    [turns] = page.toc.items
    assert turns.title == "Turns" and turns.id == "p2" and len(turns.children) == MIN_TURNS
    first, last = turns.children[0], turns.children[-1]
    assert (first.id, first.level) == ("p2", 3)
    assert first.title == "1 · Ann Lee — Words number 0 one two three…"
    assert last.id == f"p{2 * MIN_TURNS}" and last.title.startswith(f"{MIN_TURNS} · Ann Lee")


def test_a_short_transcript_keeps_its_toc():
    page, html = page_with(MIN_TURNS - 1)
    add_turns_toc(page, html)
    assert list(page.toc.items) == []


def test_toc_titles_are_escaped():
    page, html = page_with(MIN_TURNS, who=HOSTILE.replace("<", "&lt;").replace(">", "&gt;"))
    add_turns_toc(page, html)
    title = page.toc.items[0].children[0].title
    assert "<img" not in title and "&lt;img src=x onerror=alert(1)&gt;" in title


def test_the_longest_document_shows_turns_in_the_sidebar_and_numbers(browser, site):  # noqa: F811
    page = open_page(browser, longest_document(site))
    links = page.eval_on_selector_all(".md-sidebar--secondary a.md-nav__link", "els => els.map(e => e.textContent.trim())")
    assert any(t.startswith("1 · ") for t in links), links[:5]
    numbers = page.evaluate("""() => [...document.querySelectorAll('p.annals-turn:not(.annals-cont) > .annals-speaker')]
        .slice(0, 2).map(el => getComputedStyle(el, '::before').content)""")
    assert numbers == ["counter(annals-turn)"] * 2, numbers  # Chromium reports the counter, not its value
    page.close()
