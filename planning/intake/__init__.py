"""The one intake for untrusted input: zipped studies (command line and app), single uploaded layers, and the
confinement of every path a study names.

Used by the command line (:func:`planning.study.load_study` unpacks a ``.zip`` through :func:`study_folder_from_zip`)
and by the app's sidebar and Data page (:func:`study_from_zip`, :func:`save_upload`, :func:`read_uploaded_layer`,
:func:`study_from_layers`). No Streamlit here, so every rule is tested directly:

- an upload larger than the stated limit is refused (:func:`check_size`);
- a zip is refused when a member's path escapes the folder (absolute, ``..``, drive letters, backslashes), is a
  symbolic link, is encrypted or of a file type a study does not use; when it would unpack to more than
  :data:`MAX_UNPACKED_FACTOR` times the limit or a member is compressed suspiciously well (zip bombs); and when a
  CRC check fails or the zip is truncated or broken (every member is read to its end before anything is used);
- inside a zip or an upload, and everywhere when ``ELDERCIRCLE_PUBLIC=1``, every layer path and the network source
  must be a relative path that stays inside the study folder (no absolute path, ``~``, ``..``, drive letter, UNC
  path or symbolic link), and ``place:`` and URLs are refused (:func:`confine_path`, :func:`check_network_source`);
- every file is opened only as the format its name claims, after its first bytes were checked
  (:func:`geo.layers.check_file_format`).

Every refusal is one sentence naming the file and the fix; none quotes a file's content. Uploads are written under
the browser session's own folder; zipped studies given to the command line are unpacked once into the cache folder,
under the zip's SHA-256 (so the network cache hits on the next command), or into a temporary folder when the cache
is off.

Modules: :mod:`~planning.intake.limits` (sizes, names, file types), :mod:`~planning.intake.paths` (confinement,
the network source, CRS codes), :mod:`~planning.intake.zips` (zipped studies) and :mod:`~planning.intake.uploads`
(single layers and the study built from them).
"""

from planning.intake.limits import (
    MAX_UNPACKED_FACTOR,
    MAX_UPLOAD_MB,
    STUDY_FILE_TYPES,
    check_size,
    content_id,
    safe_name,
)
from planning.intake.paths import (
    NETWORK_FORMATS,
    PUBLIC_ENV,
    UNPACKED_MARKER,
    check_crs_text,
    check_network_source,
    confine_path,
    made_by_intake,
    public_mode,
)
from planning.intake.uploads import (
    LAYER_FILE_TYPES,
    LAYER_ROLES,
    NETWORK_FILE_TYPES,
    UploadedLayer,
    check_mapping,
    guess_mapping,
    read_uploaded_layer,
    save_upload,
    study_from_layers,
)
from planning.intake.zips import named_by_zip, study_folder_from_zip, study_from_zip

__all__ = [
    "LAYER_FILE_TYPES",
    "LAYER_ROLES",
    "MAX_UNPACKED_FACTOR",
    "MAX_UPLOAD_MB",
    "NETWORK_FILE_TYPES",
    "NETWORK_FORMATS",
    "PUBLIC_ENV",
    "STUDY_FILE_TYPES",
    "UNPACKED_MARKER",
    "UploadedLayer",
    "check_crs_text",
    "check_mapping",
    "check_network_source",
    "check_size",
    "confine_path",
    "content_id",
    "guess_mapping",
    "made_by_intake",
    "named_by_zip",
    "public_mode",
    "read_uploaded_layer",
    "safe_name",
    "save_upload",
    "study_folder_from_zip",
    "study_from_layers",
    "study_from_zip",
]
