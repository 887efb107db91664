"""Writing the files a command was asked for (``-o FILE``, ``--ics FILE``): whole or not at all.

The data goes to a temporary file beside the target, is flushed to disk and then renamed over
the target, so a full disk or a crash never leaves a half-written report; every operating-system
error becomes an :class:`~gdsmodel.errors.OutputError` that names the file. A target that is a
directory, or whose folder does not exist, is refused before anything is written. Special files
(``/dev/null``, ``/dev/stdout``, a pipe) are written in place.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from gdsmodel.errors import OutputError

__all__ = ["write_output"]


def write_output(target: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``target`` atomically; return the path written.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_output(folder / "r.txt", "报告").read_text(encoding="utf-8")
    '报告'
    >>> write_output(folder, "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.OutputError: cannot write '...': it is a directory (give a file name)
    """
    path = Path(target)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = os.fspath(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(name, exc.strerror or str(exc)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(name, "it is a directory (give a file name)")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_in_place(path, raw)  # /dev/null, a pipe, a terminal
        return path
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(name, f"the folder {os.fspath(folder)!r} does not exist")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(name, exc.strerror or str(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path


def _write_in_place(path: Path, raw: bytes) -> None:
    try:
        with open(path, "wb") as f:
            f.write(raw)
            f.flush()
    except OSError as exc:
        raise OutputError(os.fspath(path), exc.strerror or str(exc)) from None
