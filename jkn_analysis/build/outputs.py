"""What the build writes and how: records, safe replacement, modes, leftovers.

A report folder is recognised by its build record ``build.json``, which lists every file of the
folder and, per language, each edition's fingerprint, build time and files (`read_record`,
`editions_of`). A folder holding anything else, or an output folder that is, contains or lies
inside the data folder, is refused before anything is touched (`check_output`). A build writes
into a temporary folder next to the target (`create_workspace`) and `_install` swaps it into
place under the period's lock, keeping the editions it did not rebuild. Folders and files get
the usual modes under the user's umask; what a killed build left behind (temporary folders,
kernel sockets and connection files) is removed by the next one (`remove_leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from jkn_analysis import __version__
from jkn_analysis.build.errors import BuildError, UnsafeOutputError, message
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter

BUILD_RECORD = "build.json"
INDICATORS = "indicators.json"
# Written once per period by the notebook, for both editions: the indicators as JSON and CSV.
SHARED_FILES = (INDICATORS, "indicators.csv")


def indicators_document(folder: Path) -> dict:
    """``indicators.json`` as the notebook wrote it (empty when it is missing)."""
    try:
        return json.loads((folder / INDICATORS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def report_status(folder: Path) -> str:
    """``draft`` or ``final``, as the notebook wrote it into ``indicators.json``."""
    return indicators_document(folder).get("status", "final")


# ------------------------------------------------------------------ modes, leftovers

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows.

    ``os.umask`` can only be read by setting it, which would briefly change the mode of files
    other threads create; Linux shows it in ``/proc/self/status``.
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def folder_mode() -> int:
    """The mode of a folder made with ``mkdir`` under the user's umask (0755 under 022)."""
    return 0o777 & ~_umask()


def file_mode() -> int:
    """The mode of a file made with ``open`` under the user's umask (0644 under 022)."""
    return 0o666 & ~_umask()


def _host() -> str:
    """This machine's name as it may appear in a file name (output folders can be shared)."""
    return re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"


# Temporary names carry the owner's host and process id, so the next build can tell the
# leftovers of a killed build (owner gone) from the folders of a build still running, on this
# machine or on another one writing to the same shared drive.
_LEFTOVER = re.compile(r"^\.(?P<quarter>\d{4}Q[1-4])\.(?P<kind>building|old)-(?P<owner>.+)$")
_KERNEL_FILE = re.compile(r"^jkn-kernel-(?P<pid>\d+)-[0-9a-f]{12}(?:\.json|-\d+)$")


def _owner_tag() -> str:
    return f"{_host()}-{os.getpid()}"


def kernel_file_stem() -> str:
    """The name of a new kernel's connection file and sockets, without suffix (`_KERNEL_FILE`):
    ``jkn-kernel-<pid>-<12 hex digits>``. Short: a socket path has about 100 bytes."""
    return f"jkn-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _alive(pid: int) -> bool:
    """Whether a process of this machine is running (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_owner(owner: str) -> bool:
    """Whether ``host-pid[-...]`` names a process of this machine that no longer runs."""
    host = _host()
    if not owner.startswith(f"{host}-"):
        return False
    pid = owner[len(host) + 1 :].split("-", 1)[0]
    return pid.isdigit() and not _alive(int(pid))


def remove_leftovers(out_dir: Path) -> None:
    """Remove what interrupted or killed builds left: their temporary report folders in
    ``out_dir`` and their kernel sockets and connection files in the temporary folder.

    Only names this pack gives, owned by a process of this machine that is gone. A report moved
    aside for a swap that never finished is put back when its period has no report.
    """
    with contextlib.suppress(OSError):
        for entry in out_dir.iterdir():
            match = _LEFTOVER.match(entry.name)
            if match is None or not _dead_owner(match["owner"]):
                continue
            target = out_dir / match["quarter"]
            if match["kind"] == "old" and not target.exists():
                with contextlib.suppress(OSError):
                    entry.rename(target)
                    continue
            shutil.rmtree(entry, ignore_errors=True)
    temporary = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in temporary.iterdir():
            match = _KERNEL_FILE.match(entry.name)
            if match is None or _alive(int(match["pid"])):
                continue
            with contextlib.suppress(OSError):
                if entry.lstat().st_uid == os.getuid():
                    entry.unlink()


# ------------------------------------------------------------------ what the pack wrote


def read_record(folder: Path) -> dict | None:
    """The ``build.json`` of a built report, or ``None`` when there is none or it is unreadable
    (or is not a build record of this pack)."""
    try:
        record = json.loads((folder / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), list):
        return None
    return record


def editions_of(record: dict | None) -> dict[str, dict]:
    """The editions of a build record, by language, in the order of `LANGUAGES`.

    Each edition holds its ``fingerprint``, ``built_at``, ``warnings`` and ``files``. A record
    written before editions existed (one fingerprint for all its languages) is read as one
    edition per language, so that its reports are kept, listed and rebuilt like any other.
    """
    if record is None:
        return {}
    editions = record.get("editions")
    if not isinstance(editions, dict):
        legacy = record.get("fingerprint", {})
        editions = {
            language: {
                "fingerprint": {**legacy, "language": language},
                "built_at": record.get("built_at", ""),
                "warnings": record.get("warnings", []),
                "files": [name for name in record["files"] if f".{language}." in name],
            }
            for language in legacy.get("languages", [])
        }
    return {
        language: editions[language]
        for language in LANGUAGES
        if isinstance(editions.get(language), dict)
        and isinstance(editions[language].get("files"), list)
    }


def foreign_files(folder: Path) -> list[str]:
    """Names in a report folder that the pack did not write; empty for a missing or empty folder.

    The pack's own files are ``build.json`` and the files it lists; without a readable build
    record every name is foreign.

    Raises
    ------
    UnsafeOutputError
        When ``folder`` is a file or a link rather than a folder.
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UnsafeOutputError("build.not_a_report_folder", folder=folder)
    if not folder.exists():
        return []
    names = sorted(entry.name for entry in folder.iterdir())
    record = read_record(folder)
    ours = {BUILD_RECORD, *record["files"]} if record is not None else set()
    return [name for name in names if name not in ours]


def _refuse_foreign(folder: Path) -> None:
    foreign = foreign_files(folder)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" (+{len(foreign) - 5})" if len(foreign) > 5 else "")
        raise UnsafeOutputError("build.foreign_files", folder=folder, names=shown)


def check_output(out_dir: Path, data_dir: Path, quarters: Iterable[Quarter]) -> None:
    """Refuse, before anything is touched, an output folder the build could damage.

    Raises
    ------
    UnsafeOutputError
        When ``out_dir`` is a file, or cannot be written (read-only, no permission); when it
        is, contains or lies inside ``data_dir`` (links followed); when a period's folder
        ``out_dir/<QUARTER>/`` holds files the pack did not write, or is a file or a link.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UnsafeOutputError("build.not_a_folder", option="--out", path=out_dir)
    existing = Path(os.path.abspath(out_dir))
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # where the output folder would be created
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UnsafeOutputError("build.read_only", path=out_dir)
    out, data = Path(os.path.realpath(out_dir)), Path(os.path.realpath(data_dir))
    relation = (
        "build.out_is_data"
        if out == data
        else "build.out_inside_data"
        if out.is_relative_to(data)
        else "build.out_contains_data"
        if data.is_relative_to(out)
        else None
    )
    if relation is not None:
        raise UnsafeOutputError(relation, out=out_dir, data=data_dir)
    for quarter in quarters:
        _refuse_foreign(out_dir / str(quarter))


@contextlib.contextmanager
def _period_lock(target: Path) -> Iterator[None]:
    """A lock per period: two builds of one period finishing together swap one after the other,
    leaving one whole report, never a mix."""
    import fcntl

    locks = target.parent / ".locks"
    locks.mkdir(exist_ok=True)
    with open(locks / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _install(
    workspace: Path, target: Path, quarter: Quarter, editions: dict[str, dict]
) -> tuple[str, ...]:
    """Write the build record and move the finished build into place, under the period's lock.

    The editions of the previous report that were not rebuilt (another language) are copied
    into the new folder with their record, so that building one language keeps the other; the
    old folder is removed only after the move, and only when it holds nothing but the pack's
    files (checked again here: an analyst may have saved a file into it meanwhile). Returns the
    names of every file of the new folder but ``build.json``.
    """
    with _period_lock(target):
        _refuse_foreign(target)
        kept = {}
        for language, edition in editions_of(read_record(target)).items():
            if language in editions:
                continue
            if all((target / name).is_file() for name in edition["files"]):
                for name in edition["files"]:
                    # copyfile, not copy2: the copy gets this build's modes (umask), not the old.
                    shutil.copyfile(target / name, workspace / name)
                kept[language] = edition
        merged = {**kept, **editions}
        files = sorted({*SHARED_FILES, *(name for e in merged.values() for name in e["files"])})
        record = {
            "generator": f"jkn-analysis {__version__}",
            "period": str(quarter),
            "editions": {code: merged[code] for code in LANGUAGES if code in merged},
            "files": files,
        }
        (workspace / BUILD_RECORD).write_text(
            json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _swap(workspace, target)
    return tuple(files)


def _swap(source: Path, target: Path) -> None:
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.old-{_owner_tag()}")
        target.rename(backup)
    try:
        source.rename(target)
    except OSError:
        if backup is not None:
            backup.rename(target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


# Errors of writing the report (a full disk or quota, a read-only or forbidden folder), told as
# such rather than as the step's exception.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def cannot_write(out_dir: Path, error: OSError) -> BuildError:
    reason = error.strerror or str(error)
    return BuildError(
        "output folder",
        message("build.cannot_write", "en", path=out_dir, reason=reason),
        key="build.cannot_write",
        values={"path": out_dir, "reason": reason},
    )


def create_workspace(out_dir: Path, quarter: Quarter) -> Path:
    """The temporary build folder inside ``out_dir``, with the modes of an ordinary folder.

    ``mkdtemp`` makes it 0700 whatever the umask; it becomes the report folder, which colleagues
    must be able to open.

    Raises
    ------
    BuildError
        When the output folder cannot be created or written (read-only, full, no permission).
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out_dir)
        workspace = Path(
            tempfile.mkdtemp(prefix=f".{quarter}.building-{_owner_tag()}-", dir=out_dir)
        )
        os.chmod(workspace, folder_mode())
    except OSError as error:
        raise cannot_write(out_dir, error) from error
    return workspace
