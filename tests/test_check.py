"""annals.check and `annals check`: what a build would refuse is found by the check, at its file and line."""
from __future__ import annotations

from annals.cli import main

TEXT = "---\ntitle: A meeting\ndate: 2021-07-20\ntags: [Index, Energy]\n---\nVladimir Putin: Good afternoon.\n"


def test_a_tag_that_cannot_name_a_page_is_reported_by_the_check_at_its_line(tmp_path, capsys):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(TEXT, encoding="utf-8")
    status = main(["check", "--sources", str(tmp_path / "sources"), "--registry", str(tmp_path / "none")])
    out = capsys.readouterr()
    said = out.out + out.err
    assert status == 1, said
    assert "a.txt:4: tag 'Index' cannot name a page: its id would be 'index'" in said


def test_a_clean_text_passes_the_check(tmp_path, capsys):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(TEXT.replace("Index, ", ""), encoding="utf-8")
    assert main(["check", "--sources", str(tmp_path / "sources"), "--registry", str(tmp_path / "none")]) == 0
    assert "0 error(s)" in capsys.readouterr().out
