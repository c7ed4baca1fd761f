"""What a build may touch, at the level an analyst meets it: the command line, the files on disk,
their modes and the messages.

The build replaces only folders it wrote (recognised by ``build.json``) and refuses an output
folder that is, contains or lies inside the data folder; reports get ordinary modes under the
umask; Ctrl-C, a kill, a read-only or full disk, a file where a folder belongs and a permission
error each end in one clear line, with the previous report intact; building one language keeps
the other edition.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from jkn_analysis.build.batch import plan, write_index
from jkn_analysis.build.quarter import (
    BUILD_RECORD,
    NOTEBOOK,
    UnsafeOutputError,
    _install,
    build_quarter,
    check_output,
    file_mode,
    folder_mode,
    message,
)
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
JKN_REPORT = Path(sys.executable).parent / "jkn-report"
Q1 = Quarter(2024, 1)


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash (what must stay untouched)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _data_copy(tmp_path: Path, periods=("2023Q4", "2024Q1")) -> Path:
    data = tmp_path / "data"
    for period in periods:
        shutil.copytree(DATA / period, data / period)
    return data


def _run(*arguments: str, cwd: Path = ROOT, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JKN_REPORT), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        **options,
    )


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    """The single line a fault prints (and that it printed no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _error_line(language: str, text: str) -> str:
    """``error: text`` as the command line prints it in ``language``."""
    return message("cli.error", language, text=text)


# ------------------------------------------------------------------- refusals, before anything


class TestOutputAroundData:
    @pytest.mark.parametrize(
        ("out", "key"),
        [
            ("data", "build.out_is_data"),
            ("data/2024Q1", "build.out_inside_data"),
            ("data/reports", "build.out_inside_data"),
            (".", "build.out_contains_data"),
        ],
    )
    @pytest.mark.parametrize("language", ["id", "en"])
    def test_refused_and_no_data_file_touched(self, tmp_path, out, key, language):
        data = _data_copy(tmp_path)
        before = _tree(tmp_path)
        result = _run(
            "build", "--all", "--data", "data", "--out", out, "--lang", language, cwd=tmp_path
        )
        assert result.returncode == 1
        line = _one_line_error(result)
        assert line == _error_line(
            language, message(key, language, out=Path(out), data=Path("data"))
        )
        assert _tree(tmp_path) == before
        assert sorted(p.name for p in data.iterdir()) == ["2023Q4", "2024Q1"]

    def test_a_link_to_the_data_folder_is_the_data_folder(self, tmp_path):
        data = _data_copy(tmp_path)
        (tmp_path / "laporan").symlink_to(data)
        before = _tree(data)
        status = main(["build", "--all", "--data", str(data), "--out", str(tmp_path / "laporan")])
        assert status == 1
        assert _tree(data) == before


class TestForeignFiles:
    def test_a_folder_the_pack_did_not_write_is_refused(self, tmp_path, capsys):
        out = tmp_path / "reports"
        (out / "2024Q1").mkdir(parents=True)
        notes = out / "2024Q1" / "catatan-rapat.docx"
        notes.write_bytes(b"notulen rapat")
        status = main(["build", "2024Q1", "--out", str(out)])
        error = capsys.readouterr().err
        assert status == 1
        refusal = message("build.foreign_files", "id", folder=out / "2024Q1", names=notes.name)
        assert error == _error_line("id", refusal) + "\n"
        assert notes.read_bytes() == b"notulen rapat"
        # Refused before anything was written: no lock, no temporary folder, no index.
        assert sorted(p.name for p in out.iterdir()) == ["2024Q1"]

    def test_an_empty_folder_is_fine(self, tmp_path):
        (tmp_path / "2024Q1").mkdir()
        plan_only = plan(
            [Q1], data_dir=DATA, out_dir=tmp_path, languages=("id",), notebook=NOTEBOOK
        )
        assert plan_only[0].reason == "no previous build"
        check_output(tmp_path, DATA, [Q1])  # no error

    def test_a_file_where_the_report_folder_belongs_is_refused(self, tmp_path, capsys):
        (tmp_path / "2024Q1").write_text("not a folder", encoding="utf-8")
        assert main(["build", "2024Q1", "--out", str(tmp_path), "--lang", "en"]) == 1
        assert "is not a report folder written by jkn-report" in capsys.readouterr().err
        assert (tmp_path / "2024Q1").read_text(encoding="utf-8") == "not a folder"

    def test_an_index_the_pack_did_not_write_is_kept(self, tmp_path, capsys):
        index = tmp_path / "index.html"
        index.write_text("<html><body>situs tim</body></html>", encoding="utf-8")
        assert main(["build", "2024Q1", "--out", str(tmp_path)]) == 1
        assert capsys.readouterr().err == (
            _error_line("id", message("build.foreign_index", "id", path=index)) + "\n"
        )
        assert index.read_text(encoding="utf-8") == "<html><body>situs tim</body></html>"
        with pytest.raises(UnsafeOutputError):
            write_index(tmp_path)

    def test_a_file_saved_into_the_report_during_the_build_is_kept(self, tmp_path):
        """Between the first check and the swap an analyst saves a file into the report
        folder: the swap is refused under the period's lock, and nothing is deleted."""
        target = tmp_path / "2024Q1"
        target.mkdir()
        (target / "catatan-rapat.docx").write_bytes(b"notes")
        workspace = tmp_path / ".2024Q1.building-test"
        workspace.mkdir()
        (workspace / "indicators.json").write_text("{}", encoding="utf-8")
        with pytest.raises(UnsafeOutputError) as caught:
            _install(workspace, target, Q1, {"id": {"fingerprint": {}, "files": []}})
        assert "catatan-rapat.docx" in caught.value.cause
        assert sorted(p.name for p in target.iterdir()) == ["catatan-rapat.docx"]


class TestFilesWhereFoldersBelong:
    def test_out_is_a_file(self, tmp_path):
        out = tmp_path / "reports.pdf"
        out.write_bytes(b"%PDF")
        result = _run("build", "2024Q1", "--out", str(out))
        assert result.returncode == 1
        assert _one_line_error(result) == _error_line(
            "id", message("build.not_a_folder", "id", option="--out", path=out)
        )
        assert out.read_bytes() == b"%PDF"

    def test_data_is_a_file(self, tmp_path):
        data = tmp_path / "figures.csv"
        data.write_text("period,code,value,unit\n", encoding="utf-8")
        result = _run("build", "--data", str(data), "--out", str(tmp_path / "out"), "--lang", "en")
        assert result.returncode == 1
        assert _one_line_error(result) == _error_line(
            "en", message("build.not_a_folder", "en", option="--data", path=data)
        )
        assert not (tmp_path / "out").exists()


def _world_readable_folder() -> Path:
    """A folder another user can enter (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="jkn-test-"))
    folder.chmod(0o755)
    return folder


class TestPermissionError:
    def test_an_unreadable_data_file_is_named_in_one_line(self):
        """Run as an unprivileged user (root reads every file): one line naming the file."""
        folder = _world_readable_folder()
        try:
            data = folder / "data"
            shutil.copytree(DATA / "2024Q1", data / "2024Q1")
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            (folder / "out").mkdir(mode=0o777)
            (folder / "out").chmod(0o777)  # writable for the unprivileged user
            locked = data / "2024Q1" / "figures.csv"
            locked.chmod(0o000)
            command = ["build", "2024Q1", "--data", str(data), "--out", str(folder / "out")]
            if os.geteuid() == 0:
                if shutil.which("setpriv") is None:
                    pytest.skip("running as root without setpriv to drop privileges")
                drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                result = subprocess.run(
                    [*drop, str(JKN_REPORT), *command],
                    cwd="/",
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                    env={**os.environ, "HOME": str(folder)},
                )
            else:
                result = _run(*command, cwd=folder)
            assert result.returncode == 1
            line = _one_line_error(result)
            assert str(locked) in line and "Permission denied" in line
        finally:
            shutil.rmtree(folder, ignore_errors=True)


# ----------------------------------------------------------------------------------- modes


def _umask_run(mask: int) -> dict:
    return {"preexec_fn": lambda: os.umask(mask)}


class TestModes:
    def test_modes_follow_the_umask(self):
        mask = os.umask(0o027)
        try:
            assert (folder_mode(), file_mode()) == (0o750, 0o640)
        finally:
            os.umask(mask)
        assert (folder_mode(), file_mode()) == (0o777 & ~mask, 0o666 & ~mask)

    def test_failure_log_and_index_get_ordinary_modes(self, tmp_path):
        data = _data_copy(tmp_path, periods=("2024Q1",))
        csv = data / "2024Q1" / "figures.csv"
        csv.write_text(csv.read_text("utf-8").replace("280.725.428", "banyak"), "utf-8")
        out = tmp_path / "reports"
        result = _run("build", "--data", str(data), "--out", str(out), **_umask_run(0o022))
        assert result.returncode == 1
        assert stat.S_IMODE((out / "build-2024Q1.log").stat().st_mode) == 0o644
        assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o644
        assert stat.S_IMODE(out.stat().st_mode) == 0o755

    @pytest.mark.slow
    def test_the_report_folder_and_files(self, built):
        expected_folder, expected_file = folder_mode(), file_mode()
        assert stat.S_IMODE(built.stat().st_mode) == expected_folder
        for path in built.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == expected_file, path.name


# ----------------------------------------------------------------- Ctrl-C, kill, faults


def _kernel_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("jkn-kernel-"))


def _kernel_processes(marker: str) -> list[int]:
    """Running processes whose command line mentions ``marker`` (the test's temporary folder,
    where kernels keep their connection files)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in command and "ipykernel" in command:
            found.append(int(entry.name))
    return found


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def kernel_tmp():
    """A short private temporary folder for the build's kernels (socket paths are limited to
    about 100 bytes, so not pytest's deep tmp_path)."""
    folder = Path(tempfile.mkdtemp(prefix="jkn-k-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start(arguments: list[str], kernel_tmp: Path, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [str(JKN_REPORT), *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(kernel_tmp)},
        **options,
    )


def _leftovers(out: Path) -> list[str]:
    """Hidden entries of ``out`` but its locks; none when Ctrl-C came before it was made."""
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".locks")


@pytest.mark.slow
class TestCtrlC:
    def test_one_line_exit_130_previous_report_intact(self, built, tmp_path, kernel_tmp):
        out = tmp_path / "reports"
        shutil.copytree(built, out / "2024Q1")
        before = _tree(out / "2024Q1")
        process = _start(["build", "2024Q1", "--force", "--out", str(out)], kernel_tmp)
        # Once a kernel has started (its connection file is there), press Ctrl-C.
        _wait_for(lambda: any(kernel_tmp.glob("*.json")), 240, "a kernel to start")
        time.sleep(1)
        pressed = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 130
        assert time.monotonic() - pressed < 30
        assert "Traceback" not in stderr and "Task exception" not in stderr
        assert stderr.strip().splitlines() == [message("build.interrupted", "id")]
        assert _tree(out / "2024Q1") == before
        assert _leftovers(out) == []
        assert _kernel_files(kernel_tmp) == []
        _wait_for(lambda: not _kernel_processes(str(kernel_tmp)), 10, "the kernel to end")

    @pytest.mark.parametrize("who", ["terminal", "main process only"])
    def test_parallel_builds_stop_and_start_no_new_kernel(self, tmp_path, kernel_tmp, who):
        out = tmp_path / "reports"
        process = _start(
            ["build", "2023Q1", "2023Q4", "2024Q1", "--jobs", "2", "--out", str(out)],
            kernel_tmp,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        _wait_for(lambda: any(kernel_tmp.glob("*.json")), 240, "a kernel to start")
        time.sleep(1)
        if who == "terminal":
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches every process of the job
        else:
            process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 130, stderr
        assert "Traceback" not in stderr and "Task exception" not in stderr, stderr
        assert stderr.strip().splitlines() == [message("build.interrupted", "id")]
        # The longest builds start first (2024Q1 and 2023Q4, the larger data), so 2023Q1 was
        # queued behind them: it never started.
        assert "[3/3] 2024Q1:   memeriksa data" in stdout
        assert "[1/3] 2023Q1:   " not in stdout
        assert not (out / "2023Q1").exists()
        assert _leftovers(out) == []
        assert _kernel_files(kernel_tmp) == []
        _wait_for(lambda: not _kernel_processes(str(kernel_tmp)), 10, "the kernels to end")


@pytest.mark.slow
def test_a_killed_build_is_cleaned_up_by_the_next(tmp_path, kernel_tmp):
    """SIGKILL in the middle of a build leaves its temporary folder, sockets and connection
    file; the next build removes them, and writes its report with the umask's modes."""
    out = tmp_path / "reports"
    process = _start(["build", "2024Q1", "--out", str(out)], kernel_tmp, **_umask_run(0o027))
    # The kernel starts before the data check, the temporary folder once the data passed it.
    _wait_for(lambda: any(kernel_tmp.glob("*.json")), 240, "a kernel to start")
    _wait_for(lambda: _leftovers(out), 240, "the temporary folder")
    time.sleep(1)
    process.kill()
    process.communicate(timeout=60)
    assert [name.split("-")[0] for name in _leftovers(out)] == [".2024Q1.building"]
    assert _kernel_files(kernel_tmp)
    # The orphaned kernel notices its parent is gone and ends by itself.
    _wait_for(lambda: not _kernel_processes(str(kernel_tmp)), 20, "the orphaned kernel to end")

    result = subprocess.run(
        [str(JKN_REPORT), "build", "2024Q1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "TMPDIR": str(kernel_tmp)},
        **_umask_run(0o027),
    )
    assert result.returncode == 0, result.stderr
    assert _leftovers(out) == []
    assert _kernel_files(kernel_tmp) == []
    report = out / "2024Q1"
    assert stat.S_IMODE(report.stat().st_mode) == 0o750
    assert {stat.S_IMODE(p.stat().st_mode) for p in report.iterdir()} == {0o640}
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o640


def _namespaces_work() -> bool:
    """Whether this machine lets a process mount a private file system (util-linux unshare
    with user and mount namespaces): how the tests make a read-only or full disk."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || exit 1"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _namespaces_work(), reason="cannot mount a private file system (unshare -rm)"
)


@needs_namespaces
class TestDisks:
    def _in_namespace(self, script: str, **variables: Path | str) -> None:
        """Run a shell script in private user and mount namespaces (its mounts vanish with it)."""
        subprocess.run(
            ["unshare", "-rm", "sh", "-c", script],
            env={**os.environ, **{key: str(value) for key, value in variables.items()}},
            cwd=ROOT,
            check=True,
            timeout=600,
        )

    def test_read_only_output_folder(self, tmp_path):
        out = tmp_path / "reports"
        (out / "2024Q1").mkdir(parents=True)
        # A previous report of the pack's (only its record, enough to be recognised).
        record = {"files": ["indicators.json"], "editions": {}}
        (out / "2024Q1" / BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")
        (out / "2024Q1" / "indicators.json").write_text("{}", encoding="utf-8")
        before = _tree(out)
        result_dir = tmp_path / "result"
        result_dir.mkdir()
        self._in_namespace(
            'mount --bind "$OUT" "$OUT" && mount -o remount,bind,ro "$OUT" && '
            '"$JKN" build 2024Q1 --force --out "$OUT" >"$R/stdout" 2>"$R/stderr"; '
            'echo $? >"$R/rc"',
            OUT=out,
            JKN=JKN_REPORT,
            R=result_dir,
        )
        assert (result_dir / "rc").read_text().strip() == "1"
        stderr = (result_dir / "stderr").read_text()
        assert stderr == _error_line("id", message("build.read_only", "id", path=out)) + "\n"
        assert _tree(out) == before

    @pytest.mark.slow
    def test_full_disk_also_for_the_log(self, built, tmp_path):
        out, after, result_dir = tmp_path / "reports", tmp_path / "after", tmp_path / "result"
        out.mkdir()
        result_dir.mkdir()
        self._in_namespace(
            'mount -t tmpfs -o size=4m tmpfs "$OUT" && cp -r "$PREVIOUS" "$OUT/2024Q1" && '
            '(dd if=/dev/zero of="$OUT/.fill" bs=4k 2>/dev/null; true) && '
            '"$JKN" build 2024Q1 --force --out "$OUT" >"$R/stdout" 2>"$R/stderr"; '
            'echo $? >"$R/rc"; rm "$OUT/.fill"; cp -a "$OUT" "$AFTER"',
            OUT=out,
            PREVIOUS=built,
            JKN=JKN_REPORT,
            R=result_dir,
            AFTER=after,
        )
        assert (result_dir / "rc").read_text().strip() == "1"
        stderr = (result_dir / "stderr").read_text()
        assert "Traceback" not in stderr, stderr
        lines = stderr.strip().splitlines()
        full = "No space left on device"
        assert lines[0].startswith("GAGAL 2024Q1 pada langkah 'folder keluaran'"), stderr
        assert lines[0].endswith(message("build.cannot_write", "id", path=out, reason=full))
        log = out / "build-2024Q1.log"
        assert lines[1:] == [message("build.log_not_written", "id", path=log, reason=full)]
        assert _tree(after / "2024Q1") == _tree(built)
        assert _leftovers(after) == []
        assert not (after / "build-2024Q1.log").exists()


# ---------------------------------------------------------------------- editions, stale files


@pytest.mark.slow
class TestEditions:
    @pytest.fixture
    def both(self, built, tmp_path):
        """A report folder with both editions, as `build --lang id,en` leaves it."""
        out = tmp_path / "reports"
        shutil.copytree(built, out / "2024Q1")
        return out

    def _record(self, out: Path) -> dict:
        return json.loads((out / "2024Q1" / BUILD_RECORD).read_text(encoding="utf-8"))

    def test_building_english_keeps_the_indonesian_edition(self, both, capsys):
        indonesian = {k: v for k, v in _tree(both / "2024Q1").items() if ".id." in k}
        old = self._record(both)["editions"]
        stale_log = both / "build-2024Q1.log"
        stale_log.write_text("jkn-report build log: 2024Q1\nan old failure\n", encoding="utf-8")
        assert main(["build", "2024Q1", "--lang", "en", "--force", "--out", str(both)]) == 0
        capsys.readouterr()
        after = _tree(both / "2024Q1")
        assert {k: v for k, v in after.items() if ".id." in k} == indonesian
        assert any(".en." in name for name in after)
        editions = self._record(both)["editions"]
        assert editions["id"] == old["id"]
        assert editions["en"]["built_at"] >= old["en"]["built_at"]
        assert sorted(editions) == ["en", "id"]
        # The failure the old log described is gone, and so is the log.
        assert not stale_log.exists()
        # One entry per edition in the index, both linked.
        index = (both / "index.html").read_text(encoding="utf-8")
        editions_list = index.split('<ul class="index-editions">')[1].split("</ul></section>")[0]
        assert editions_list.count("<li><h3>") == 2
        for language in ("id", "en"):
            assert f"2024Q1/laporan-kinerja-jkn-2024Q1.{language}.pdf" in index

    def test_an_up_to_date_edition_is_skipped_per_language(self, both):
        def reasons(languages):
            return plan([Q1], data_dir=DATA, out_dir=both, languages=languages, notebook=NOTEBOOK)[
                0
            ]

        assert reasons(("en",)).reason is None
        assert reasons(("id", "en")).reason is None
        (both / "2024Q1" / "laporan-kinerja-jkn-2024Q1.en.pdf").unlink()
        item = reasons(("id", "en"))
        assert item.languages == ("en",)
        assert item.reason == "en: file missing: laporan-kinerja-jkn-2024Q1.en.pdf"

    def test_a_report_file_deleted_by_hand_is_rebuilt(self, both, capsys):
        pdf = both / "2024Q1" / "laporan-kinerja-jkn-2024Q1.id.pdf"
        pdf.unlink()
        assert main(["build", "2024Q1", "--lang", "id", "--out", str(both)]) == 0
        printed = capsys.readouterr().out
        assert f"sedang dibuat (berkas hilang: {pdf.name})" in printed
        assert pdf.exists()

    def test_a_foreign_file_next_to_the_pack_files_is_refused(self, both, capsys):
        notes = both / "2024Q1" / "catatan-rapat.docx"
        notes.write_bytes(b"notulen")
        before = _tree(both)
        assert main(["build", "2024Q1", "--force", "--out", str(both)]) == 1
        assert "catatan-rapat.docx" in capsys.readouterr().err
        assert _tree(both) == before

    def test_a_library_build_keeps_the_other_edition(self, both):
        result = build_quarter(Q1, languages=("en",), data_dir=DATA, out_dir=both)
        names = {path.name for path in result.files}
        assert "laporan-kinerja-jkn-2024Q1.id.pdf" in names
        assert (both / "2024Q1" / "laporan-kinerja-jkn-2024Q1.id.pdf").exists()
