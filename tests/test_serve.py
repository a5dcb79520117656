"""`annals serve`: an edited source shows on the served page, with no rebuild loop."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent
PAGE = "documents/2021/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def project_in(folder: Path) -> None:
    """A copy of the demo project (docs, sources, registry, mkdocs.yml) in `folder`."""
    for name in ("docs", "sources", "registry"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "scripts" / "annals").mkdir(parents=True)


def environment() -> dict[str, str]:
    """This environment, but for what would point annals at other sources or date its build."""
    return {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}


@pytest.fixture
def server(tmp_path):
    project_in(tmp_path)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    env = environment()
    proc = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    assert wait_for(lambda: not fetch(f"http://127.0.0.1:{port}/"), 10), "the server outlived annals serve"


def test_edited_source_is_served_without_rebuild_loop(server):
    folder, base = server
    assert wait_for(lambda: "Happy Eid" in fetch(base + PAGE), 60), (folder / "serve.log").read_text()
    source = folder / "sources" / "president-az-52519.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nAn added closing line.\n", encoding="utf-8")
    assert wait_for(lambda: "An added closing line." in fetch(base + PAGE), 30), (folder / "serve.log").read_text()
    time.sleep(2)
    builds = (folder / "serve.log").read_text().count("Building documentation")
    assert builds >= 2, "the edit was built once more after the first build"
    time.sleep(4)
    assert (folder / "serve.log").read_text().count("Building documentation") == builds, "rebuild loop"


def test_serve_shows_what_build_makes_and_an_error_leaves_the_last_site_served(server):
    """The served site is the site `annals build` makes for the same address, byte for byte (the server adds its
    reload script as it serves); a source with an error is said with path:line, and the last site stays
    served until it is put right."""
    from annals.site import served_folder
    folder, base = server
    assert wait_for(lambda: "Happy Eid" in fetch(base + PAGE), 60), (folder / "serve.log").read_text()
    bad = folder / "sources" / "a-bad-text.txt"
    bad.write_text("A text with no date\n\nPresident Ilham Aliyev: Hello.\n", encoding="utf-8")
    assert wait_for(lambda: "error(s): the site served is the last one built" in (folder / "serve.log").read_text(),
                    30), (folder / "serve.log").read_text()
    assert "sources/a-bad-text.txt:" in (folder / "serve.log").read_text()
    assert "Happy Eid" in fetch(base + PAGE)
    bad.unlink()
    source = folder / "sources" / "president-az-52519.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nAnother closing line.\n", encoding="utf-8")
    assert wait_for(lambda: "Another closing line." in fetch(base + PAGE), 30), (folder / "serve.log").read_text()
    served = served_folder(folder / "mkdocs.yml", None, None)
    env = environment()
    subprocess.run([sys.executable, "-m", "annals", "build", "--full", "--site-url", base, "--site-dir", "cold"],
                   cwd=folder, env=env, check=True, capture_output=True, timeout=300)
    def tree(root: Path) -> dict:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    assert tree(served) == tree(folder / "cold")


def test_ctrl_c_stops_serve_and_its_server_without_a_traceback(tmp_path):
    import signal
    project_in(tmp_path)
    port = free_port()
    env = environment()
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env=env,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a
        # terminal: a job started in the background (as CI may run the tests) ignores SIGINT, and so would serve
        try:
            assert wait_for(lambda: "Happy Eid" in fetch(f"http://127.0.0.1:{port}/{PAGE}"), 60)
            proc.send_signal(signal.SIGINT)  # as a terminal's Ctrl-C reaches it
            assert proc.wait(timeout=20) == 0
        finally:
            proc.kill()
    said = (tmp_path / "serve.log").read_text()
    assert "Shutting down" in said and "Traceback" not in said, said
    assert wait_for(lambda: not fetch(f"http://127.0.0.1:{port}/"), 10), "the server outlived annals serve"


def test_an_address_in_use_is_said_and_serve_ends_with_an_error(tmp_path):
    project_in(tmp_path)
    env = environment()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "annals", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert f"127.0.0.1:{port}: cannot serve on http://127.0.0.1:{port}/: Address already in use" in run.stderr
    assert "is another server running there? choose another --dev-addr" in run.stderr
    assert "Traceback" not in run.stderr, run.stderr
