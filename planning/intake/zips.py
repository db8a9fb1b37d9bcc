"""Zipped studies: checked member by member, unpacked once (under the zip's SHA-256 in the cache folder, or into a
temporary folder), and marked as made by the intake.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from geo.cache import cache_dir
from geo.errors import StudyError
from geo.layers import read_zip_members, safe_zip_members
from geo.messages import Message
from planning.i18n import message
from planning.intake.limits import (
    IGNORED_MEMBERS,
    MAX_UNPACKED_FACTOR,
    MAX_UPLOAD_MB,
    STUDY_FILE_TYPES,
    check_size,
    mb,
    safe_name,
    suffix_allowed,
)
from planning.intake.paths import UNPACKED_MARKER


def _unpack_study(archive: Path, root: Path, *, where: Message, name: str, max_unpacked_bytes: int) -> None:
    """Check every member of ``archive`` and unpack the study's files under ``root``."""
    members = safe_zip_members(archive, where=where, name=name)
    files = [m for m in members if not m.endswith("/") and not IGNORED_MEMBERS.search(m)]
    unknown = [m for m in files if not suffix_allowed(m)]
    if unknown:
        shown = {"where": where, "name": name, "files": ", ".join(unknown[:8])}
        types = ", ".join(STUDY_FILE_TYPES)
        if len(unknown) > 8:
            raise StudyError(message("err_zip_file_types_more", **shown, more=len(unknown) - 8, types=types))
        raise StudyError(message("err_zip_file_types", **shown, types=types))
    root.mkdir(parents=True, exist_ok=True)

    def too_big(declared: int) -> Message:
        """The refusal naming the upload limit (geo's own sentence names only the unpacked limit)."""
        limit = max_unpacked_bytes / 1_000_000 / MAX_UNPACKED_FACTOR
        return message(
            "err_zip_too_big",
            where=where,
            name=name,
            size=mb(declared),
            factor=MAX_UNPACKED_FACTOR,
            limit=limit,
        )

    read_zip_members(
        archive,
        files,
        where=where,
        name=name,
        max_unpacked_bytes=max_unpacked_bytes,
        extract_to=root,
        on_size=too_big,
    )


def _study_root(root: Path, *, where: Message, name: str) -> Path:
    tomls = sorted(p for p in root.rglob("study.toml") if p.is_file()) if root.exists() else []
    if not tomls:
        raise StudyError(message("err_zip_no_toml", where=where, name=name))
    if len(tomls) > 1:
        listed = ", ".join(str(p.relative_to(root)) for p in tomls[:5])
        raise StudyError(message("err_zip_many_tomls", where=where, name=name, n=len(tomls), listed=listed))
    return tomls[0].parent


def study_from_zip(
    data: bytes, dest: Path, *, name: str = "study.zip", max_mb: float = MAX_UPLOAD_MB
) -> Path:
    """Unpack an uploaded zipped study folder into ``dest`` and return the folder holding its study.toml.

    Parameters
    ----------
    data : the zip file's bytes.
    dest : an empty folder of this browser session (created when missing; replaced when it exists).
    name : the uploaded file's name, for messages.
    max_mb : the upload limit in MB.

    Raises
    ------
    StudyError
        Too large; not a zip; damaged; a member escaping the folder, a link or of an unknown type; a zip bomb; no or
        several study.toml.
    """
    check_size(name, len(data), max_mb=max_mb)
    if not name.lower().endswith(".zip"):
        raise StudyError(message("err_upload_not_zip", name=name))
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = dest / safe_name(name)  # under the user's own file name: the loader's messages name the archive
    archive.write_bytes(data)
    root = dest / "study"
    try:
        _unpack_study(
            archive,
            root,
            where=message("err_where_uploaded_study"),
            name=name,
            max_unpacked_bytes=int(max_mb * MAX_UNPACKED_FACTOR * 1_000_000),
        )
    except StudyError:
        shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        archive.unlink(missing_ok=True)
    folder = _study_root(root, where=message("err_where_uploaded_study"), name=repr(name))
    (root / UNPACKED_MARKER).write_text("upload\n", encoding="utf-8")
    return folder


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _studies_dir() -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    folder = base / "studies"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def _remove_later(folder: Path) -> None:
    atexit.register(shutil.rmtree, folder, True)


def study_folder_from_zip(path: Path | str, *, max_mb: float = MAX_UPLOAD_MB) -> Path:
    """Unpack a zipped study given on the command line (after every check of :func:`study_from_zip`) and return the
    folder holding its study.toml.

    The folder is ``<cache>/studies/<sha256 of the zip>``, reused by later commands on the same zip; a marker file
    is written last, so a half-unpacked folder is never used. Files keep the zip's modification times, so the
    network cache (keyed by path, size and time) hits on the next command. When the cache is off or cannot be
    written, the zip is unpacked into a temporary folder removed when the program ends.

    Parameters
    ----------
    path : the ``.zip`` file.
    max_mb : the upload limit in MB; the zip may unpack to :data:`MAX_UNPACKED_FACTOR` times it.

    Raises
    ------
    StudyError
        One sentence naming the zip and the fix.
    """
    archive = Path(path).expanduser()
    where = message("err_where_study")
    name = str(archive)
    if not archive.is_file():
        raise StudyError(message("err_zip_missing", path=name))
    try:
        digest = _sha256_file(archive)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StudyError(message("err_zip_unreadable", path=name, reason=reason)) from None
    limit = int(max_mb * MAX_UNPACKED_FACTOR * 1_000_000)
    studies = _studies_dir()
    if studies is not None:
        final = studies / digest
        if (final / UNPACKED_MARKER).is_file():
            return _study_root(final, where=where, name=name)
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=studies))
        except OSError:
            studies = None
    if studies is None:
        work = Path(tempfile.mkdtemp(prefix="eldercircle-study-"))
        _remove_later(work)
    try:
        _unpack_study(archive, work, where=where, name=name, max_unpacked_bytes=limit)
        _study_root(work, where=where, name=name)
        (work / UNPACKED_MARKER).write_text(digest + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if studies is None:
        return _study_root(work, where=where, name=name)
    final = studies / digest
    try:
        if final.exists() and not (final / UNPACKED_MARKER).is_file():
            shutil.rmtree(final, ignore_errors=True)  # a half-unpacked folder of an older run
        os.rename(work, final)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)  # another process unpacked the same zip first
        if not (final / UNPACKED_MARKER).is_file():
            raise StudyError(message("err_zip_unpack_failed", path=name, folder=str(studies))) from None
    return _study_root(final, where=where, name=name)


def named_by_zip(exc: StudyError, folder: Path, origin: Path) -> StudyError:
    """The error to raise instead of ``exc``, from a study unpacked from the zip ``origin`` into ``folder``: the same
    class and sentence naming the zip instead of the folder (prefixed with the zip when it names neither). Its
    message keeps its code, so it still reads in Chinese; a sentence whose parameters cannot name the zip the same
    way is kept as its English."""
    text = str(exc).replace(str(folder), str(origin))
    if str(origin) not in text:
        text = f"study {origin}: {text}"
    if exc.message is not None:
        moved = _moved(exc.message, str(folder), str(origin))
        if str(origin) not in str(moved):
            moved = message("err_in_study", study=str(origin), error=moved)
        if str(moved) == text:
            return type(exc)(moved)
    return type(exc)(text)


def _moved(said: Message, old: str, new: str) -> Message:
    """``said`` with ``old`` replaced by ``new`` in every text or path among its parameters (and its inner
    messages')."""

    def move(value: object) -> object:
        if isinstance(value, Message):
            return _moved(value, old, new)
        if isinstance(value, str):
            return value.replace(old, new)
        if isinstance(value, Path) and old in str(value):
            return Path(str(value).replace(old, new))
        return value

    return Message(said.code, tuple((k, move(v)) for k, v in said.params), said.template_en)
