"""Shared fixtures: paths to the repository, the demo study, and ../shared/realdata (skipped when absent)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"

OSM_EXTRACTS = {
    "nanjing": REALDATA / "osm-nanjing-xinjiekou" / "nanjing_xinjiekou.osm",
    "beijing": REALDATA / "osm-beijing-haidian-wudaokou" / "beijing_haidian_wudaokou.osm",
    "shenzhen": REALDATA / "osm-shenzhen-longgang" / "shenzhen_longgang.osm",
    "guixi": REALDATA / "osm-jiangxi-guixi" / "jiangxi_guixi.osm",
}


# The walking-network cache (geo.cache) of the test run lives in a fresh folder, never in the user's ~/.cache;
# set before any test (and any streamlit server a test starts) runs.
os.environ["ELDERCIRCLE_CACHE_DIR"] = tempfile.mkdtemp(prefix="eldercircle-test-cache-")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The folder of real OpenStreetMap extracts and census figures; skips the test when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not beside the checkout")
    return REALDATA


def osm_extract(name: str) -> Path:
    """Path of one real OSM extract, skipping the test when ../shared is absent."""
    path = OSM_EXTRACTS[name]
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (zipped studies are unpacked there), on a machine that is not a public
    deployment unless the test says so: for tests of the intake, whose results depend on both."""
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ELDERCIRCLE_PUBLIC", raising=False)
    return tmp_path / "cache"
