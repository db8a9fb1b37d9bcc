"""Which studies a batch run is given (:func:`find_studies`: folders, zips, globs, folders of studies) and the key
that says whether a study's outputs are still those of its inputs (:func:`study_key`, :func:`read_key`,
:func:`write_key`)."""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo.files import atomic_write
from planning.batch.records import BatchOptions, StudyRecord
from planning.errors import OptionError
from planning.i18n import message

#: The key file in a study's output folder, written last: its outputs are whole and belong to this key.
KEY_FILE = "batch-key.json"
#: Bumped when what a batch run writes for a study changes, so older keys no longer hold.
KEY_VERSION = 1
_GLOB_CHARS = frozenset("*?[")


def _is_study(path: Path) -> bool:
    return (path.is_dir() and (path / "study.toml").is_file()) or (
        path.is_file() and path.suffix.lower() == ".zip"
    )


def _expand(arg: str) -> list[Path]:
    """The studies one argument names: itself, the studies in a folder of studies, or a glob's matches."""
    if _GLOB_CHARS & set(arg):
        found = [Path(p) for p in sorted(glob.glob(str(Path(arg).expanduser())))]
        return [p for p in found if _is_study(p)]
    path = Path(arg).expanduser()
    if _is_study(path):
        return [path]
    if path.is_dir():
        inside = [p for p in sorted(path.iterdir()) if not p.name.startswith(".") and _is_study(p)]
        if inside:
            return inside
    raise OptionError(message("err_batch_not_a_study", path=arg))


def _name(path: Path) -> str:
    return path.stem if path.suffix.lower() == ".zip" else path.resolve().name


def find_studies(args: Sequence[str]) -> list[tuple[str, Path]]:
    """Every study ``args`` name, each with the name of its output folder (its folder's or zip's name; a name
    taken twice gets ``-2``, ``-3`` …), in the order given, each study once.

    Raises
    ------
    OptionError
        When an argument is neither a study nor a folder of studies, or nothing is found.
    """
    seen: set[Path] = set()
    names: set[str] = set()
    found: list[tuple[str, Path]] = []
    for arg in args:
        for path in _expand(arg):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            base = name = _name(path)
            n = 1
            while name in names:
                n += 1
                name = f"{base}-{n}"
            names.add(name)
            found.append((name, path))
    if not found:
        raise OptionError(message("err_batch_no_studies", paths=", ".join(args)))
    return found


def _input_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))


def study_key(path: Path, options: BatchOptions) -> str:
    """sha256 over the study's input files (their names and bytes) and the options its outputs depend on."""
    digest = hashlib.sha256()
    head = {"version": KEY_VERSION, "options": options.key_fields()}
    digest.update(json.dumps(head, sort_keys=True).encode("utf-8"))
    for file in _input_files(path):
        rel = file.name if file == path else file.relative_to(path).as_posix()
        digest.update(f"\n{rel}\n{file.stat().st_size}\n".encode())
        with file.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def read_key(folder: Path) -> tuple[str, StudyRecord] | None:
    """The key and record a whole earlier run left in ``folder``, or None (no key file, or one not whole)."""
    try:
        data: Any = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
        return str(data["key"]), StudyRecord.from_json(data["record"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_key(folder: Path, key: str, record: StudyRecord) -> None:
    """Write ``folder``'s key file with the record, atomically: the last file of a study."""
    data = {"key": key, "record": record.as_json()}
    atomic_write(folder / KEY_FILE, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def drop_key(folder: Path) -> None:
    """Remove ``folder``'s key file before its study runs again, so a run killed midway leaves none."""
    (folder / KEY_FILE).unlink(missing_ok=True)
