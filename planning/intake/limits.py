"""What an upload may be: its size, its name, the file types a study may hold."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from geo.errors import StudyError
from planning.i18n import message

#: Upload limit stated in the UI; the same number is ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_MB = 200
#: A zip may unpack to at most this many times the upload limit.
MAX_UNPACKED_FACTOR = 5
#: File types a study folder may hold (layers, Shapefile parts, networks, the study file, notes).
STUDY_FILE_TYPES: tuple[str, ...] = (
    ".toml",
    ".gpkg",
    ".geojson",
    ".json",
    ".csv",
    ".txt",
    ".zip",
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qix",
    ".sbn",
    ".sbx",
    ".qmd",
    ".shp.xml",
    ".osm",
    ".pbf",
    ".osm.pbf",
    ".bz2",
    ".osm.bz2",
    ".xml",
    ".graphml",
    ".md",
)
#: Members of a zip that are skipped silently (archive tool droppings).
IGNORED_MEMBERS = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)


def mb(n_bytes: int) -> str:
    """A size in megabytes for messages (``12.3 MB``)."""
    return f"{n_bytes / 1_000_000:.1f} MB"


def check_size(name: str, n_bytes: int, *, max_mb: float = MAX_UPLOAD_MB) -> None:
    """Refuse an upload above the limit, with the sizes in the message."""
    if n_bytes > max_mb * 1_000_000:
        raise StudyError(message("err_upload_too_big", name=name, size=mb(n_bytes), max_mb=max_mb))


def safe_name(name: str) -> str:
    """A file name without folders or characters that could address another place (keeps Chinese)."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base).lstrip(".")
    return base or "upload"


def content_id(data: bytes) -> str:
    """A short digest naming an upload's folder (the same file uploaded twice lands in the same place)."""
    return hashlib.sha256(data).hexdigest()[:12]


def suffix_allowed(member: str) -> bool:
    """Whether a file of a study (a zip member) is of a type a study may hold (:data:`STUDY_FILE_TYPES`)."""
    lower = member.lower()
    return any(lower.endswith(s) for s in STUDY_FILE_TYPES)
