"""Write a whole output folder atomically: build it beside the target, then swap it in one rename.

On Linux the swap uses renameat2(RENAME_EXCHANGE), so at every instant `build/` is either the
complete old build or the complete new one. Elsewhere it falls back to two renames.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100
PARTIAL_MARK = ".partial-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _remove_stale(target: Path) -> None:
    """Delete partial folders left by builds that were killed (their process is gone)."""
    for stale in target.parent.glob(f".{target.name}{PARTIAL_MARK}*"):
        pid = stale.name.rsplit("-", 2)[-2] if stale.name.count("-") >= 2 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_directory(target: Path):
    """Yield a fresh folder; on success it replaces `target` whole, on error it is deleted."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}{PARTIAL_MARK}{os.getpid()}-", dir=target.parent))
    try:
        yield work
        os.chmod(work, 0o755)
        if target.exists() and _exchange(work, target):
            shutil.rmtree(work)
        else:
            old = None
            if target.exists():
                old = target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid()}-old")
                os.rename(target, old)
            os.rename(work, target)
            if old:
                shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Replace one file atomically (temporary file in the same folder, then os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
