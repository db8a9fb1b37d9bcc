"""Writing files so that a reader never sees half of one.

Every output (reports, JSON, CSV, GeoPackages) and every cache entry is written to a temporary file in the target's
own folder and renamed over the target only when complete (``os.replace`` is atomic on one file system). A full
disk, a kill or an error leaves the previous file or none, never half a file. Failures become one
:class:`~geo.errors.OutputError` sentence naming the file and the fix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geo.errors import OutputError
from geo.messages import Message


def output_error(path: Path | str, exc: OSError) -> OutputError:
    """One sentence for an ``OSError`` met while writing ``path``: what happened and the fix."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        fix = "output_fix_disk_full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "output_fix_permission"
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST):
        fix = "output_fix_missing_folder"
    elif exc.errno == errno.EISDIR:
        fix = "output_fix_is_folder"
    else:
        fix = "output_fix_other"
    return OutputError.of("output_cannot_write", path=str(path), reason=reason, fix=Message.of(fix))


@contextlib.contextmanager
def atomic_path(path: Path | str, *, suffix: str | None = None) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` when the ``with`` block ends without an error.

    For writers that want a file name (GeoPackage, ``to_csv``). The temporary file keeps ``path``'s suffix (or
    ``suffix``) so that format-sniffing writers pick the right driver. On any error it is removed and ``path`` is
    left as it was.

    Raises
    ------
    OutputError
        When the folder cannot be created or the file cannot be written or renamed.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=(suffix if suffix is not None else target.suffix) or ".part",
        )
        os.close(fd)
    except OSError as exc:
        raise output_error(target, exc) from None
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL refuse to create a file that already exists
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise output_error(target, exc) from None
    except BaseException:
        _remove(tmp)
        raise


def atomic_write(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, flushed to disk, renamed).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        When the file cannot be written (no permission, full disk, a folder in the way).
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with atomic_path(target) as tmp, open(tmp, "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())
    return target


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
