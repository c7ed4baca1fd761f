"""The live preview (`jkn-report preview`): what it watches, that its page is the built report,
and the running server: it starts, serves, refreshes after an edit, survives broken edits and
recovers, listens on loopback only and stops on Ctrl-C.

The server tests run ``jkn-report preview`` as a subprocess on a copy of ``data/`` and poll the
page with bounded waits; they assert what is shown, never how fast (timings are in
``benchmarks/run.py``).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jkn_analysis.build import preview
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
QUARTER = Quarter(2024, 1)
# A first render imports pandas, matplotlib and nbconvert; on a busy machine that takes a while.
START_SECONDS = 180
CHANGE_SECONDS = 90

REVIEW_COMMENTARY = '  summary:\n    id: ""\n    en: ""'
SHIPPED_REVIEW = (DATA / "2024Q1" / "review.yaml").read_text("utf-8")


def _with_commentary(review: str, text: str) -> str:
    """The shipped review.yaml with ``text`` as the executive summary's commentary (id and en)."""
    assert REVIEW_COMMENTARY in review
    return review.replace(REVIEW_COMMENTARY, f'  summary:\n    id: "{text}"\n    en: "{text}"', 1)


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> object:
    """Poll ``condition`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds} s waiting for {what}")
        time.sleep(0.1)


# ------------------------------------------------------------------------- without a server
class TestWatchedFiles:
    def test_the_period_earlier_periods_and_review(self):
        files = preview.watched_files(DATA, QUARTER)
        names = {path.relative_to(DATA).as_posix() for path in files}
        assert {"2024Q1/figures.csv", "2024Q1/review.yaml", "2023Q4/figures.csv"} <= names
        assert "2014Q4/figures.csv" in names  # the history charts read every earlier period

    def test_later_periods_are_not_watched(self, tmp_path):
        shutil.copytree(DATA, tmp_path / "data")
        later = tmp_path / "data" / "2024Q2"
        later.mkdir()
        (later / "figures.csv").write_text("period,code,value,unit\n", encoding="utf-8")
        files = preview.watched_files(tmp_path / "data", QUARTER)
        assert not [path for path in files if "2024Q2" in path.parts]
        assert "2023Q4" in {path.parent.name for path in files}

    def test_a_missing_review_is_still_watched(self, tmp_path):
        shutil.copytree(DATA / "2023Q4", tmp_path / "2023Q4")
        files = preview.watched_files(tmp_path, Quarter(2023, 4))
        assert tmp_path / "2023Q4" / "review.yaml" in files


class TestWatcher:
    def test_content_changes_count_touches_do_not(self, tmp_path):
        figures = tmp_path / "2024Q1" / "figures.csv"
        figures.parent.mkdir()
        figures.write_text("period,code,value,unit\n", encoding="utf-8")
        watcher = preview.Watcher(tmp_path, QUARTER)
        assert watcher.poll() == set()
        os.utime(figures, ns=(1, 1))  # another time, same content
        assert watcher.poll() == set()
        figures.write_text("period,code,value,unit\n2024Q1,x,1,jiwa\n", encoding="utf-8")
        assert watcher.poll() == {figures}
        assert watcher.poll() == set()

    def test_a_same_size_save_within_one_timestamp_tick(self, tmp_path):
        figures = tmp_path / "2024Q1" / "figures.csv"
        figures.parent.mkdir()
        figures.write_text("period,code,value,unit\n2024Q1,x,1,jiwa\n", encoding="utf-8")
        watcher = preview.Watcher(tmp_path, QUARTER)
        stamp = figures.stat().st_mtime_ns
        figures.write_text("period,code,value,unit\n2024Q1,x,2,jiwa\n", encoding="utf-8")
        os.utime(figures, ns=(stamp, stamp))  # as a file system with coarse timestamps leaves it
        assert watcher.poll() == {figures}

    def test_files_that_appear_or_go(self, tmp_path):
        figures = tmp_path / "2024Q1" / "figures.csv"
        figures.parent.mkdir()
        figures.write_text("period,code,value,unit\n", encoding="utf-8")
        watcher = preview.Watcher(tmp_path, QUARTER)
        review = tmp_path / "2024Q1" / "review.yaml"
        review.write_text("commentary: {}\n", encoding="utf-8")
        assert watcher.poll() == {review}
        review.unlink()
        assert watcher.poll() == {review}
        earlier = tmp_path / "2023Q4" / "figures.csv"
        earlier.parent.mkdir()
        earlier.write_text("period,code,value,unit\n", encoding="utf-8")
        assert watcher.poll() == {earlier}


def test_display_cells_are_the_notebooks_displayed_sections():
    cells = preview.display_cells()
    sources = [cell.expression.co_names for cell in cells]
    assert [names[:2] for names in sources] == [
        ("report", "cover"),
        ("report", "contents"),
        ("report", "executive_summary"),
        ("report", "participation"),
        ("report", "facilities"),
        ("report", "finance"),
        ("report", "appendix"),
        ("report", "write_indicators"),
    ]
    assert all(cell.setup is None for cell in cells)


class TestChartCache:
    """The preview asks for its charts through the report's chart cache, with a memory layer."""

    @staticmethod
    def _draw(cache, frame) -> str:
        from jkn_analysis.report import charts

        cache.reset_counts()  # as each render does
        return cache.chart(charts.ChartRequest(charts.claim_ratio_chart, frame, language="id")).svg

    def test_same_data_reuses_the_svg_changed_data_draws(self, tmp_path, monkeypatch):
        import pandas as pd

        monkeypatch.setenv("JKN_REPORT_CACHE", str(tmp_path))
        cache = preview.preview_chart_cache()
        frame = pd.DataFrame({"period": ["TW IV 2023", "TW I 2024"], "value": [98.2, 112.2]})
        first = self._draw(cache, frame)
        assert (cache.drawn, cache.reused) == (1, 0)
        again = self._draw(cache, frame.copy())
        assert (cache.drawn, cache.reused) == (0, 1)
        assert again == first
        changed = self._draw(cache, frame.assign(value=[98.2, 101.0]))
        assert (cache.drawn, cache.reused) == (1, 0)
        assert changed != first

    def test_without_the_disk_cache_the_memory_still_serves(self, monkeypatch):
        import pandas as pd

        from jkn_analysis.report import charts

        monkeypatch.setenv("JKN_REPORT_CACHE", "off")
        before = (charts.claim_ratio_chart, charts.chart_to_svg)
        cache = preview.preview_chart_cache()
        frame = pd.DataFrame({"period": ["TW IV 2023", "TW I 2024"], "value": [98.2, 112.2]})
        first = self._draw(cache, frame)
        assert self._draw(cache, frame) == first
        assert (cache.folder, cache.drawn, cache.reused) == (None, 0, 1)
        # Nothing is replaced in the charts module: the notebook and the build see the same.
        assert (charts.claim_ratio_chart, charts.chart_to_svg) == before


def test_messages_in_both_languages_with_the_same_placeholders():
    for key, texts in preview.PREVIEW_MESSAGES.items():
        assert set(texts) == {"id", "en"}, key
        assert set(re.findall(r"{(\w+)}", texts["id"])) == set(re.findall(r"{(\w+)}", texts["en"]))


def test_command_line_options():
    args = build_parser().parse_args(["preview", "2024Q1"])
    assert (args.quarter, args.lang, args.port, args.data) == (QUARTER, "id", 8000, Path("data"))
    args = build_parser().parse_args(["preview", "2024Q1", "--lang", "en", "--port", "0"])
    assert (args.lang, args.port) == ("en", 0)


def test_a_period_without_data_is_refused(tmp_path, capsys):
    shutil.copytree(DATA / "2023Q4", tmp_path / "2023Q4")
    assert preview.serve(QUARTER, data_dir=tmp_path, language="en") == 2
    error = capsys.readouterr().err
    assert "no data for 2024Q1" in error and "2023Q4" in error


def test_a_port_outside_the_range_is_refused(capsys):
    assert preview.serve(QUARTER, data_dir=DATA, port=70000, language="en") == 2
    assert "cannot listen on port 70000" in capsys.readouterr().err


def test_a_port_in_use_is_refused(capsys):
    with socket.socket() as taken:
        taken.bind((preview.HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert preview.serve(QUARTER, data_dir=DATA, port=port) == 2
    assert f"port {port} sudah dipakai" in capsys.readouterr().err


# ------------------------------------------------------------------ the page, in process
@pytest.mark.slow
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_preview_page_is_the_built_html(built, language):
    live = preview.LivePreview(QUARTER, language=language, data_dir=DATA)
    try:
        status = live.refresh()
        _, html = live.page()
    finally:
        live.close()
    assert status.state == "ok", status.messages
    built_html = (built / f"laporan-kinerja-jkn-{QUARTER}.{language}.html").read_text("utf-8")
    assert html == built_html


@pytest.mark.slow
def test_a_review_edit_renders_as_a_fresh_report(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    review = data / "2024Q1" / "review.yaml"
    live = preview.LivePreview(QUARTER, data_dir=data)
    try:
        assert live.refresh().state == "ok"
        edited = _with_commentary(review.read_text("utf-8"), "Komentar ANALIS-UJI.")
        edited = edited.replace(
            "fktp_network:\n    decision: undecided", "fktp_network:\n    decision: confirm"
        )
        review.write_text(edited, encoding="utf-8")
        assert live.refresh({review}).state == "ok"
        _, warm = live.page()
    finally:
        live.close()
    fresh = preview.LivePreview(QUARTER, data_dir=data)
    try:
        assert fresh.refresh().state == "ok"
        _, cold = fresh.page()
    finally:
        fresh.close()
    assert "Komentar ANALIS-UJI." in warm
    assert warm == cold


@pytest.mark.slow
def test_bad_data_from_the_start_then_fixed(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    figures = data / "2024Q1" / "figures.csv"
    shipped = figures.read_text("utf-8")
    figures.write_text(shipped.replace("2024Q1,fktp_total,23.245,", "2024Q1,fktp_total,-5,"))
    live = preview.LivePreview(QUARTER, language="en", data_dir=data)
    try:
        status = live.refresh()
        assert (status.state, status.report_version) == ("error", 0)
        assert status.heading == "The data of 2024Q1 cannot be made into a report:"
        assert status.messages == (
            "2024Q1/figures.csv, row 30, fktp_total (Contracted primary care facilities (FKTP)): "
            "negative value -5 for a figure that cannot be negative",
        )
        assert live.page()[1] is None
        assert live.state_text(status).endswith("no good version yet")
        assert "There is no good version yet" in preview.banner_html(live, status)
        figures.write_text(shipped, encoding="utf-8")
        status = live.refresh({figures})
        assert (status.state, status.report_version) == ("ok", 1)
        assert "Executive Summary" in live.page()[1]
        assert preview.banner_html(live, status) == ""
    finally:
        live.close()


# ------------------------------------------------------------------------------ the server
@dataclass
class RunningPreview:
    """A ``jkn-report preview`` subprocess on a copy of the data, with its output collected."""

    process: subprocess.Popen
    data: Path
    lines: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def review(self) -> Path:
        return self.data / "2024Q1" / "review.yaml"

    @property
    def figures(self) -> Path:
        return self.data / "2024Q1" / "figures.csv"

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(preview.HOST, self.port, timeout=30)
        try:
            headers = {"Host": host} if host else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def status(self) -> dict:
        return json.loads(self.get("/status.json")[1])

    def report(self) -> str:
        return self.get("/report.html")[1]


def start_preview(data: Path, *arguments: str) -> RunningPreview:
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    command = [sys.executable, "-m", "jkn_analysis.cli", "preview", "2024Q1", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--data", str(data), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    running = RunningPreview(process, data)

    def collect() -> None:
        for line in process.stdout:
            running.lines.append(line.rstrip("\n"))

    threading.Thread(target=collect, daemon=True).start()
    url = wait_until(
        lambda: (
            next(
                (
                    m
                    for line in running.lines
                    if (m := re.search(r"http://127\.0\.0\.1:(\d+)/", line))
                ),
                None,
            )
            or process.poll() is not None
        ),
        START_SECONDS,
        "the preview's address",
    )
    assert process.poll() is None, process.stderr.read()
    running.port = int(url.group(1))
    wait_until(lambda: running.status()["state"] != "starting", START_SECONDS, "the first render")
    return running


def stop_preview(running: RunningPreview) -> tuple[int, str]:
    running.process.send_signal(signal.SIGINT)
    try:
        code = running.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        running.process.kill()
        raise
    return code, running.process.stderr.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningPreview]:
    data = tmp_path_factory.mktemp("preview") / "data"
    shutil.copytree(DATA, data)
    running = start_preview(data)
    yield running
    if running.process.poll() is None:
        stop_preview(running)


@pytest.mark.slow
class TestServer:
    def test_starts_and_serves_the_report(self, server):
        assert server.status()["state"] == "ok"
        code, page = server.get("/")
        assert code == 200
        assert '<iframe id="report" src="/report.html"' in page
        assert '<script src="/preview.js"></script>' in page
        code, report = server.get("/report.html")
        assert code == 200
        assert "Ringkasan Eksekutif" in report and "214,5 juta" in report
        assert server.get("/preview.js")[0] == 200
        assert server.get("/nothing-here")[0] == 404

    def test_the_page_fetches_nothing_from_elsewhere(self, server):
        page = server.get("/")[1] + server.get("/preview.js")[1]
        addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page)
        addresses += re.findall(r"""(?:fetch|EventSource)\(\s*["']([^"']*)""", page)
        assert addresses
        assert all(
            address.startswith("/") and not address.startswith("//") for address in addresses
        )
        report = server.report()
        assert not re.findall(
            r"""<(?:img|script|link|iframe)[^>]+(?:src|href)="(?:https?:)?//""", report
        )

    def test_refreshes_after_an_edit(self, server):
        original = SHIPPED_REVIEW
        before = server.status()["report_version"]
        server.review.write_text(_with_commentary(original, "Komentar EDIT-SATU."), "utf-8")
        wait_until(lambda: "Komentar EDIT-SATU." in server.report(), CHANGE_SECONDS, "the edit")
        assert server.status()["report_version"] > before
        assert any("2024Q1/review.yaml" in line for line in server.lines)

    def test_survives_a_broken_review_and_recovers(self, server):
        original = SHIPPED_REVIEW
        server.review.write_text(_with_commentary(original, "Komentar SEBELUM-RUSAK."), "utf-8")
        wait_until(lambda: "Komentar SEBELUM-RUSAK." in server.report(), CHANGE_SECONDS, "the edit")
        server.review.write_text(original + "\ncommentary: [unclosed\n", "utf-8")
        status = wait_until(
            lambda: (s := server.status())["state"] == "error" and s, CHANGE_SECONDS, "the error"
        )
        assert "review.yaml" in status["heading"]
        assert any("2024Q1/review.yaml, baris" in line for line in status["messages"])
        banner = server.get("/banner")[1]
        assert "susunan YAML rusak" in banner
        assert "Komentar SEBELUM-RUSAK." in server.report()  # the last good version stays
        server.review.write_text(_with_commentary(original, "Komentar EDIT-DUA."), "utf-8")
        wait_until(lambda: "Komentar EDIT-DUA." in server.report(), CHANGE_SECONDS, "the fix")
        assert server.status()["state"] == "ok"
        assert server.get("/banner")[1].strip() == ""

    def test_survives_a_bad_figure_and_recovers(self, server):
        original = server.figures.read_text("utf-8")
        assert "2024Q1,fktp_total,23.245," in original
        server.figures.write_text(
            original.replace("2024Q1,fktp_total,23.245,", "2024Q1,fktp_total,dua puluh,"), "utf-8"
        )
        status = wait_until(
            lambda: (s := server.status())["state"] == "error" and s, CHANGE_SECONDS, "the error"
        )
        assert status["heading"] == "Data 2024Q1 belum dapat dibuat menjadi laporan:"
        (line,) = status["messages"]
        assert "2024Q1/figures.csv, baris 30, fktp_total" in line and "'dua puluh'" in line
        assert "23.245" in server.report()
        server.figures.write_text(
            original.replace("2024Q1,fktp_total,23.245,", "2024Q1,fktp_total,23.300,"), "utf-8"
        )
        wait_until(
            lambda: server.status()["state"] == "ok" and "23.300" in server.report(),
            CHANGE_SECONDS,
            "the fixed figure",
        )
        assert server.process.poll() is None

    def test_listens_on_loopback_only(self, server):
        listening = _listening_addresses(server.port)
        if listening is None:
            pytest.skip("no /proc/net/tcp on this system")
        assert listening == {"127.0.0.1"}
        other = _non_loopback_address()
        if other is not None:
            with pytest.raises(OSError), socket.create_connection((other, server.port), timeout=5):
                pass

    def test_renders_the_pdf_on_demand(self, server):
        connection = http.client.HTTPConnection(preview.HOST, server.port, timeout=300)
        try:
            connection.request("GET", "/report.pdf")
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200
        assert response.getheader("Content-Type") == "application/pdf"
        assert body.startswith(b"%PDF-")

    def test_other_host_names_are_refused(self, server):
        assert server.get("/report.html", host=f"attacker.example:{server.port}")[0] == 403
        assert server.get("/report.html", host=f"localhost:{server.port}")[0] == 200


@pytest.mark.slow
def test_in_a_browser_the_open_page_reloads_itself(server, tmp_path):
    """Headless Chromium (as in tests/test_browser.py): the page shows the edit without a
    manual reload, keeps its scroll position, requests nothing but the preview's own address,
    and has no console errors."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium not installed: apt-get install chromium (the CI script installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.test_browser import CHROMIUM_ARGS

    origin = f"http://{preview.HOST}:{server.port}/"
    original = SHIPPED_REVIEW
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.set_default_timeout(CHANGE_SECONDS * 1000)
        page.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(origin, wait_until="load")
        report = page.frame_locator("#report")
        report.locator("#section-finance").scroll_into_view_if_needed()
        scroll = "() => document.getElementById('report').contentWindow.scrollY"
        before = page.evaluate(scroll)
        assert before > 1000
        server.review.write_text(_with_commentary(original, "Komentar BROWSER-UJI."), "utf-8")
        report.get_by_text("Komentar BROWSER-UJI.").wait_for(state="attached")
        page.wait_for_function(f"() => ({scroll})() === {before}")
        server.review.write_text(original + "\ncommentary: [unclosed\n", "utf-8")
        page.locator("#banner h2").wait_for()
        assert "review.yaml" in page.locator("#banner").inner_text()
        page.screenshot(path=str(tmp_path / "preview-error.png"))
        assert report.get_by_text("Komentar BROWSER-UJI.").count() == 1  # last good version
        server.review.write_text(original, "utf-8")
        page.wait_for_function("() => document.getElementById('banner').innerHTML.trim() === ''")
        browser.close()
    assert not errors, errors
    elsewhere = [url for url in requests if not url.startswith(origin)]
    assert not elsewhere, elsewhere


def _listening_addresses(port: int) -> set[str] | None:
    """The IPv4 and IPv6 addresses a socket listens on at ``port``, from ``/proc/net``."""
    addresses = set()
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            return None
        for row in path.read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    addresses.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    addresses.add(f"ipv6:{address}")
    return addresses


def _non_loopback_address() -> str | None:
    """An address of this machine other than loopback, when it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent for a UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.slow
def test_stops_on_ctrl_c(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    running = start_preview(data, "--lang", "en")
    port = running.port
    code, errors = stop_preview(running)
    assert code == 0
    assert "Traceback" not in errors, errors
    wait_until(lambda: running.lines and running.lines[-1] == "Preview stopped.", 10, "the output")
    with pytest.raises(OSError):
        socket.create_connection((preview.HOST, port), timeout=5).close()
