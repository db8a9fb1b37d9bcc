"""Zips, read only after every member was checked (:func:`safe_zip_members`, :func:`read_zip_members`): no path
escaping the folder, no symbolic links, no zip bombs, no damaged or forged CRC; and zipped Shapefiles
(``file.zip#member.shp``). Messages never quote a file's content.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from geo.errors import LayerError
from geo.layers.formats import check_file_format
from geo.layers.ogr import read_ogr
from geo.layers.source import LayerSource, RawLayer
from geo.messages import Message

#: A zip may not unpack to more than this (bytes) when no other limit is given.
ZIP_MAX_UNPACKED_BYTES = 2_000_000_000
#: A zip member larger than :data:`ZIP_RATIO_MIN_BYTES` may not be compressed more than this many times (zip bombs;
#: GIS files compress 3–10 times).
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1_000_000


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def safe_zip_members(path: Path | str, *, where: str | Message, name: str | None = None) -> list[str]:
    """Member names of a zip, refusing any that could reach outside the folder it is unpacked into.

    Refused: names that are absolute (``/x``), climb (``..``), carry a drive letter (``C:``) or a backslash, or
    hold control characters; symbolic links (Unix mode ``S_IFLNK``); encrypted members. Call
    :func:`read_zip_members` next to check sizes and CRCs before anything is used.

    Parameters
    ----------
    path : the zip file.
    where : what it is, for messages (e.g. ``uploaded study``).
    name : the zip's name for messages (default: ``path``'s file name).

    Raises
    ------
    LayerError
        One sentence naming the zip, the member and the fix.
    """
    label = name or Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise LayerError.of("zip_invalid", where=where, zip=label) from None
    seen: set[str] = set()
    for info in infos:
        member = info.filename
        if member in seen:
            raise LayerError.of("zip_duplicate_member", where=where, zip=label, member=member)
        seen.add(member)
        pure = PurePosixPath(member)
        if (
            pure.is_absolute()
            or ".." in pure.parts
            or "\\" in member
            or re.match(r"^[A-Za-z]:", member)
            or any(ord(ch) < 32 for ch in member)
        ):
            raise LayerError.of("zip_path_escapes", where=where, zip=label, member=member)
        if _is_symlink(info):
            raise LayerError.of("zip_symlink", where=where, zip=label, member=member)
        if info.flag_bits & 0x1:
            raise LayerError.of("zip_encrypted", where=where, zip=label, member=member)
    return [info.filename for info in infos]


def read_zip_members(
    path: Path | str,
    members: list[str] | None = None,
    *,
    where: str | Message,
    name: str | None = None,
    max_unpacked_bytes: int = ZIP_MAX_UNPACKED_BYTES,
    extract_to: Path | None = None,
    on_size: Callable[[int], str | Message] | None = None,
) -> int:
    """Read every member of a zip to its end, checking sizes and CRCs; optionally write them under ``extract_to``.

    Call :func:`safe_zip_members` first. Refused: a zip that declares, or turns out to unpack to, more than
    ``max_unpacked_bytes``; a member larger than :data:`ZIP_RATIO_MIN_BYTES` compressed more than
    :data:`ZIP_MAX_RATIO` times (zip bombs); a damaged zip (forged or wrong CRC, truncated data, broken structure).

    Parameters
    ----------
    path : the zip file.
    members : the members to read (default: every file member).
    where, name : for messages, as in :func:`safe_zip_members`.
    max_unpacked_bytes : the most the members may unpack to.
    extract_to : a folder to write the members into (their zip paths below it; modification times from the zip),
        or None to only check them.
    on_size : given the declared total when it is above the limit, returns the sentence to raise (default: a
        generic one).

    Returns
    -------
    int
        The bytes unpacked.

    Raises
    ------
    LayerError
        One sentence naming the zip and the fix; never the content.
    """
    label = name or Path(path).name
    total = 0
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [zf.getinfo(m) for m in members] if members is not None else zf.infolist()
            infos = [i for i in infos if not i.is_dir()]
            _check_declared_sizes(
                infos, where=where, label=label, max_unpacked_bytes=max_unpacked_bytes, on_size=on_size
            )
            for info in infos:
                total = _read_member(
                    zf,
                    info,
                    total=total,
                    limit=max_unpacked_bytes,
                    where=where,
                    label=label,
                    extract_to=extract_to,
                )
    except LayerError:
        raise
    except _WriteError as exc:
        raise LayerError.of(
            "zip_unpack_failed", where=where, zip=label, folder=str(extract_to), reason=exc.reason
        ) from None
    except Exception:
        raise LayerError.of("zip_damaged", where=where, zip=label) from None
    return total


def _check_declared_sizes(
    infos: list[zipfile.ZipInfo],
    *,
    where: str | Message,
    label: str,
    max_unpacked_bytes: int,
    on_size: Callable[[int], str | Message] | None,
) -> None:
    """Refuse, before reading anything, a zip whose members declare more than the limit in all, or one member
    compressed suspiciously well (a zip bomb)."""
    declared = sum(i.file_size for i in infos)
    if declared > max_unpacked_bytes:
        raise LayerError(
            on_size(declared)
            if on_size
            else Message.of(
                "zip_too_large", where=where, zip=label, mb=declared / 1e6, limit_mb=max_unpacked_bytes / 1e6
            )
        )
    for info in infos:
        if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise LayerError.of(
                "zip_bomb_ratio",
                where=where,
                zip=label,
                member=info.filename,
                ratio=info.file_size / max(info.compress_size, 1),
                max_ratio=ZIP_MAX_RATIO,
            )


class _WriteError(Exception):
    """Writing an unpacked member failed (full disk, no permission), as opposed to reading a damaged zip."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(exc.strerror or type(exc).__name__)
        self.reason = exc.strerror or type(exc).__name__


def _read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    total: int,
    limit: int,
    where: str | Message,
    label: str,
    extract_to: Path | None,
) -> int:
    target = None
    size = 0
    with contextlib.ExitStack() as stack:
        out = None
        if extract_to is not None:
            target = Path(extract_to).joinpath(*PurePosixPath(info.filename).parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                out = stack.enter_context(open(target, "wb"))
            except OSError as exc:
                raise _WriteError(exc) from None
        src = stack.enter_context(zf.open(info))
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if total + size > limit or size > info.file_size:
                raise LayerError.of("zip_unpacks_too_much", where=where, zip=label, limit_mb=limit / 1e6)
            if out is not None:
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise _WriteError(exc) from None
    if size != info.file_size:
        raise zipfile.BadZipFile("size mismatch")
    if target is not None:
        try:
            stamp = time.mktime((*info.date_time, 0, 0, -1))
            os.utime(target, (stamp, stamp))
        except (OverflowError, ValueError, OSError):
            pass
    return total + size


def read_zip(source: LayerSource, *, where: str | Message, encoding: str | None, crs: str | None) -> RawLayer:
    """Read the Shapefile inside a zip (``file.zip#member.shp``, or its only ``.shp``) after every member was checked.

    Parameters
    ----------
    source : the zip, and the member named after ``#`` if any.
    where : what it is, for messages.
    encoding : the attributes' encoding; detected when None.
    crs : the CRS study.toml states, if any.

    Returns
    -------
    RawLayer
    """
    members = safe_zip_members(source.path, where=where)
    read_zip_members(source.path, where=where)
    shps = [m for m in members if m.lower().endswith(".shp") and not m.startswith("__MACOSX/")]
    if source.layer is not None:
        if source.layer not in shps:
            raise LayerError.of(
                "zip_no_such_member",
                where=where,
                zip=source.path.name,
                member=source.layer,
                shps=", ".join(shps) or Message.of("none_listed"),
            )
        member = source.layer
    elif len(shps) == 1:
        member = shps[0]
    elif not shps:
        raise LayerError.of("zip_no_shapefile", where=where, zip=source.path.name)
    else:
        raise LayerError.of(
            "zip_many_shapefiles", where=where, zip=source.path.name, n=len(shps), shps=", ".join(shps)
        )
    with zipfile.ZipFile(source.path) as zf, zf.open(member) as f:
        head = f.read(4096)
    check_file_format(
        member, where=Message.of("zip_member_label", where=where, zip=source.path.name), head=head
    )
    vsi = f"/vsizip/{source.path.resolve()}/{member}"
    return read_ogr(source, vsi, None, where=where, encoding=encoding, crs=crs)
