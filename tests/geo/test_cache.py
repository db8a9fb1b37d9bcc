"""The walking-network disk cache: identical networks back, re-parsed when the source changes, never in the way."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace

import numpy as np
import pytest
import shapely

from geo.cache import cache_dir, cached_network, load_network, network_key, save_network
from geo.network import network_from_source
from planning.demo import DEMO_DIR
from planning.study import load_study


@pytest.fixture(scope="module")
def demo_osm(tmp_path_factory):
    """A private copy of the demo's OSM file and the demo study's CRS."""
    folder = tmp_path_factory.mktemp("osm")
    path = folder / "streets.osm"
    shutil.copy(DEMO_DIR / "streets.osm", path)
    return path, load_study(DEMO_DIR).crs


def _same(a, b) -> None:
    for name in ("node_xy", "edge_u", "edge_v", "edge_length_m", "edge_time_s", "edge_steps"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert shapely.equals_exact(a.edge_geometry, b.edge_geometry, tolerance=0).all()
    assert (
        a.crs == b.crs
        and a.source == b.source
        and a.notes == b.notes
        and a.walk_speed_m_s == b.walk_speed_m_s
    )
    assert (a.edge_name is None) == (b.edge_name is None)
    if a.edge_name is not None:
        assert list(a.edge_name) == list(b.edge_name)


def test_cached_network_is_identical_to_a_fresh_parse(demo_osm, tmp_path):
    path, crs = demo_osm
    fresh = network_from_source(str(path), crs=crs, walk_speed_m_s=0.8)
    first = cached_network(str(path), crs=crs, walk_speed_m_s=0.8, folder=tmp_path)
    assert len(list(tmp_path.glob("network-*.cache"))) == 1
    again = cached_network(str(path), crs=crs, walk_speed_m_s=0.8, folder=tmp_path)
    _same(fresh, first)
    _same(fresh, again)
    # times follow the speed asked for, not the one the entry was written with
    _same(
        network_from_source(str(path), crs=crs, walk_speed_m_s=1.2),
        cached_network(str(path), crs=crs, walk_speed_m_s=1.2, folder=tmp_path),
    )


def test_a_changed_source_is_parsed_again(demo_osm, tmp_path):
    path, crs = demo_osm
    key = network_key(str(path), crs=crs)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert network_key(str(path), crs=crs) != key
    assert network_key(str(path), crs=crs, include_private=True) != network_key(str(path), crs=crs)
    assert network_key(str(path), crs=4547) != network_key(str(path), crs=crs)  # CGCS2000 3-degree GK


def test_a_damaged_entry_is_rebuilt(demo_osm, tmp_path):
    path, crs = demo_osm
    cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.cache")
    entry.write_bytes(b"not a network")
    net = cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=tmp_path)
    fresh = network_from_source(str(path), crs=crs, walk_speed_m_s=1.0)
    _same(replace(fresh, notes=net.notes), net)
    assert net.notes[:-1] == fresh.notes
    assert str(net.notes[-1]) == (
        f"the cached network {entry.name} in {tmp_path} was damaged (no valid header); "
        "removed it and parsed the file again"
    )
    load_network(entry, walk_speed_m_s=1.0)  # replaced by a good entry


def test_an_unwritable_cache_folder_gives_the_network_and_a_note(demo_osm, tmp_path):
    path, crs = demo_osm
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    net = cached_network(str(path), crs=crs, walk_speed_m_s=1.0, folder=blocker / "cache")
    assert net.n_nodes > 1000
    assert "could not be written" in str(net.notes[-1])


def test_cache_off_and_place_sources_are_not_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", "off")
    assert cache_dir() is None
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    assert network_key("place:Wudaokou, Beijing", crs=32650) is None
    assert network_key(str(tmp_path / "missing.osm"), crs=32650) is None


def test_save_and_load_a_hand_built_network(tmp_path):
    from geo.network import network_from_lines

    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (100, 50), (150, 50)])]
    net = network_from_lines(lines, crs=32650, walk_speed_m_s=1.0, steps=[False, True], source="hand")
    save_network(net, tmp_path / "n.npz")
    _same(net, load_network(tmp_path / "n.npz", walk_speed_m_s=1.0))
    named = network_from_lines(lines, crs=32650, names=["建设路", None], source="hand")
    save_network(named, tmp_path / "named.npz")
    loaded = load_network(tmp_path / "named.npz", walk_speed_m_s=1.0)
    _same(named, loaded)
    assert list(loaded.edge_name) == ["建设路", ""]


def test_cached_major_roads_equal_a_fresh_read(demo_osm, tmp_path):
    from geo.cache import cached_major_roads
    from geo.roads import major_roads_from_osm

    path, crs = demo_osm
    fresh = major_roads_from_osm(path, crs=crs)
    assert len(fresh) > 0 and (fresh["role"] == "junction").any()
    cached_major_roads(path, crs=crs, folder=tmp_path)
    again = cached_major_roads(path, crs=crs, folder=tmp_path)
    assert len(list(tmp_path.glob("roads-*.cache"))) == 1
    assert list(again.columns) == list(fresh.columns) and again.crs == fresh.crs
    for c in ("highway", "name", "role"):
        assert again[c].tolist() == fresh[c].tolist()
    assert again["osm_id"].astype("int64").tolist() == fresh["osm_id"].astype("int64").tolist()
    assert shapely.equals_exact(again.geometry.to_numpy(), fresh.geometry.to_numpy(), tolerance=0).all()


# --- damaged entries: every file of the cache folder, every kind of damage -----------------------------------------


def _tiny_osm() -> str:
    """A 3 x 3 grid of streets (6 walkable ways) and one expressway with a junction, in Beijing."""
    nodes, ways = [], []
    grid = {}
    for i in range(3):
        for j in range(3):
            grid[i, j] = 1 + 3 * i + j
            nodes.append(
                f'<node id="{grid[i, j]}" version="1" lat="{39.9 + 0.002 * i:.6f}" '
                f'lon="{116.3 + 0.002 * j:.6f}"/>'
            )
    for i in range(3):
        refs = "".join(f'<nd ref="{grid[i, j]}"/>' for j in range(3))
        ways.append(
            f'<way id="{100 + i}" version="1">{refs}<tag k="highway" v="residential"/>'
            f'<tag k="name" v="东{i}路"/></way>'
        )
    for j in range(3):
        refs = "".join(f'<nd ref="{grid[i, j]}"/>' for i in range(3))
        ways.append(f'<way id="{110 + j}" version="1">{refs}<tag k="highway" v="footway"/></way>')
    nodes += [
        '<node id="50" version="1" lat="39.895000" lon="116.299000"/>',
        (
            '<node id="51" version="1" lat="39.895000" lon="116.303000">'
            '<tag k="highway" v="motorway_junction"/></node>'
        ),
        '<node id="52" version="1" lat="39.895000" lon="116.307000"/>',
    ]
    ways.append(
        '<way id="200" version="1"><nd ref="50"/><nd ref="51"/><nd ref="52"/>'
        '<tag k="highway" v="motorway"/><tag k="name" v="京藏高速"/></way>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="hand">\n'
        + "\n".join(nodes + ways)
        + "\n</osm>\n"
    )


@pytest.fixture(scope="module")
def tiny_osm(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny.osm"
    path.write_text(_tiny_osm(), encoding="utf-8")
    return path


def _flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]


def _member_middles(data: bytes) -> list[int]:
    """The file offset of the middle of each array's stored data in an entry (header line, then the npz)."""
    import io
    import zipfile

    start = data.index(b"\n") + 1
    out = []
    with zipfile.ZipFile(io.BytesIO(data[start:])) as z:
        for info in z.infolist():
            local = data[start + info.header_offset :]
            name_len, extra_len = (
                int.from_bytes(local[26:28], "little"),
                int.from_bytes(local[28:30], "little"),
            )
            begin = start + info.header_offset + 30 + name_len + extra_len
            out.append(begin + info.compress_size // 2)
    return out


def _damages(data: bytes):
    """(label, damaged bytes) for one entry: truncated, empty, bytes flipped in the header, the zip structure and
    the middle of every array's data, and rewritten as older versions."""
    from geo.cache import CACHE_VERSION

    header_end = data.index(b"\n") + 1
    yield "truncated to half", data[: len(data) // 2]
    yield "truncated by one byte", data[:-1]
    yield "empty", b""
    offsets = {
        0,
        20,
        26,
        header_end - 70,
        header_end - 3,
        header_end - 1,
        header_end,
        header_end + 40,
        header_end + (len(data) - header_end) // 2,
        len(data) - 30,
        len(data) - 1,
        *_member_middles(data),
    }
    for offset in sorted(offsets):
        yield f"byte {offset} of {len(data)} flipped", _flip(data, offset)
    older = data.replace(f" v{CACHE_VERSION} ".encode(), f" v{CACHE_VERSION - 1} ".encode(), 1)
    assert older != data
    yield "older version in the header", older
    yield "a version-1 entry (a bare npz)", data[header_end:]


def _collector(said: list[str]):
    """A progress callback keeping what it is told, in English."""
    return lambda fraction, message: said.append(str(message))


def _entries(folder):
    files = sorted(p for p in folder.iterdir())
    assert [p.name.split("-")[0] for p in files] == ["network", "roads"]
    return files


def test_every_damage_to_every_cache_file_is_detected_removed_and_rebuilt(tiny_osm, tmp_path):
    from geo.cache import cached_major_roads, load_network
    from geo.roads import major_roads_from_osm

    crs = 32650
    fresh_net = network_from_source(str(tiny_osm), crs=crs, walk_speed_m_s=1.0)
    fresh_roads = major_roads_from_osm(tiny_osm, crs=crs)
    assert fresh_net.n_edges == 12 and len(fresh_roads) == 2
    cached_network(str(tiny_osm), crs=crs, walk_speed_m_s=1.0, folder=tmp_path)
    cached_major_roads(tiny_osm, crs=crs, folder=tmp_path)
    n_cases = 0
    for entry in _entries(tmp_path):
        good = entry.read_bytes()
        for label, damaged in _damages(good):
            entry.write_bytes(damaged)
            said: list[str] = []
            progress = _collector(said)
            if entry.name.startswith("network-"):
                net = cached_network(
                    str(tiny_osm), crs=crs, walk_speed_m_s=1.0, folder=tmp_path, progress=progress
                )
                _same(replace(fresh_net, notes=net.notes), net)
                assert net.notes[:-1] == fresh_net.notes, label
                line = str(net.notes[-1])
                _same(
                    fresh_net, load_network(entry, walk_speed_m_s=1.0)
                )  # the entry was replaced by a good one
            else:
                roads = cached_major_roads(tiny_osm, crs=crs, folder=tmp_path, progress=progress)
                assert roads["osm_id"].tolist() == fresh_roads["osm_id"].tolist(), label
                assert shapely.equals_exact(
                    roads.geometry.to_numpy(), fresh_roads.geometry.to_numpy(), 0
                ).all()
                line = str(*roads.attrs["notes"])
                again = cached_major_roads(tiny_osm, crs=crs, folder=tmp_path)  # served from the new entry
                assert "notes" not in again.attrs and again["name"].tolist() == fresh_roads["name"].tolist()
            kind = "network" if entry.name.startswith("network-") else "expressway roads"
            assert line.startswith(f"the cached {kind} {entry.name} in {tmp_path} was "), (label, line)
            assert line.endswith("; removed it and parsed the file again"), (label, line)
            if (
                label.startswith("byte")
                and "flipped" in label
                and entry.read_bytes().index(b"\n") < len(damaged)
            ):
                assert "damaged" in line or "version" in line, (label, line)
            assert said.count(line) == 1, (label, said)
            assert entry.read_bytes() != damaged and sorted(tmp_path.iterdir()) == _entries(tmp_path), label
            n_cases += 1
    assert n_cases >= 2 * 15


def test_the_damage_line_says_what_was_wrong(tiny_osm, tmp_path):
    from geo.cache import CACHE_VERSION

    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.cache")
    good = entry.read_bytes()
    header_end = good.index(b"\n") + 1
    cases = {
        b"": "damaged (empty file)",
        good[: header_end + 100]: f"damaged (truncated: 100 of {len(good) - header_end} bytes)",
        _flip(good, header_end + (len(good) - header_end) // 2): "damaged (checksum mismatch)",
        good.replace(
            f" v{CACHE_VERSION} ".encode(), b" v1 ", 1
        ): f"from an older version of eldercircle (cache version 1, now {CACHE_VERSION})",
        good[header_end:]: f"from an older version of eldercircle (cache version 1, now {CACHE_VERSION})",
        b"\x00" * 4096: "damaged (no valid header)",
    }
    for damaged, reason in cases.items():
        entry.write_bytes(damaged)
        net = cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
        assert str(net.notes[-1]) == (
            f"the cached network {entry.name} in {tmp_path} was {reason}; "
            "removed it and parsed the file again"
        )


def test_any_single_bit_flip_anywhere_in_an_entry_is_detected(tiny_osm, tmp_path):
    """Not left to the zip's CRC: every bit of the header, the zip structure, the meta and the arrays is checked."""
    from geo.cache import DamagedEntryError, cached_major_roads, entry_payload

    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    cached_major_roads(tiny_osm, crs=32650, folder=tmp_path)
    for entry in _entries(tmp_path):
        kind = entry.name.split("-")[0]
        good = entry.read_bytes()
        entry_payload(good, kind=kind)
        for offset in range(len(good)):
            for bit in (0x01, 0x80):
                with pytest.raises(DamagedEntryError):
                    entry_payload(good[:offset] + bytes([good[offset] ^ bit]) + good[offset + 1 :], kind=kind)


def test_roads_in_an_unwritable_cache_folder_are_read_with_a_note(tiny_osm, tmp_path):
    from geo.cache import cached_major_roads

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    said: list[str] = []
    roads = cached_major_roads(
        tiny_osm, crs=32650, folder=blocker / "cache", progress=lambda f, m: said.append(m)
    )
    assert len(roads) == 2
    (note,) = roads.attrs["notes"]
    assert str(note).startswith(f"the network cache {blocker / 'cache'} could not be written (cannot write ")
    assert said == [note]


def test_entries_are_written_through_the_atomic_writer(tiny_osm, tmp_path, monkeypatch):
    """A failure while writing leaves the previous entry, never half a file, and no temporary file behind."""
    import geo.files
    from geo.cache import load_network as load

    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.cache")
    before = entry.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.files.os, "replace", failing_replace)
    net = load(entry, walk_speed_m_s=1.0)
    from geo.cache import save_network as save
    from geo.errors import OutputError

    with pytest.raises(OutputError, match="free some disk space"):
        save(net, entry)
    assert entry.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == [entry.name]


def test_a_version_1_npz_entry_of_the_same_source_is_removed(tiny_osm, tmp_path):
    key = network_key(str(tiny_osm), crs=32650)
    legacy = tmp_path / f"network-{key}.npz"
    np.savez(legacy, meta=np.array('{"version": 1}'))
    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"network-{key}.cache"]


def test_the_damage_line_is_kept_by_the_terminal_progress(tiny_osm, tmp_path):
    """Said as a finished step, so the command line prints it even when stderr is a log file, not a terminal."""
    import io

    from planning.progress import terminal_progress

    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.cache")
    entry.write_bytes(entry.read_bytes()[:-10])
    log = io.StringIO()
    cached_network(
        str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path, progress=terminal_progress(stream=log)
    )
    assert f"the cached network {entry.name} in {tmp_path} was damaged (truncated: " in log.getvalue()
    assert log.getvalue().rstrip().endswith("; removed it and parsed the file again")


def test_a_damaged_entry_that_cannot_be_removed_is_said_so(tiny_osm, tmp_path, monkeypatch):
    """A read-only cache folder (as root ignores permissions, removal and writing are made to fail)."""
    import geo.files

    cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    (entry,) = tmp_path.glob("network-*.cache")
    entry.write_bytes(b"")
    real_unlink = type(entry).unlink

    def refuse(self, *args, **kwargs):
        if self == entry:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, *args, **kwargs)

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(entry), "unlink", refuse)
    monkeypatch.setattr(geo.files.os, "replace", no_replace)
    net = cached_network(str(tiny_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    assert net.n_edges == 12
    assert str(net.notes[-2]) == (
        f"the cached network {entry.name} in {tmp_path} was damaged (empty file); parsed the file "
        "again (the entry could not be removed)"
    )
    assert str(net.notes[-1]).startswith(f"the network cache {tmp_path} could not be written (cannot write ")


def test_corrupting_every_cache_file_leaves_the_next_run_correct(tmp_path, monkeypatch):
    """The demo study end to end: its network and expressway entries are flipped in the middle of their arrays and
    the next run's coverage and roads equal the first run's."""
    from geo.cache import cached_major_roads
    from planning.coverage import coverage_of_study, network_for_study

    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", str(tmp_path))
    study = load_study(DEMO_DIR)
    said: list[str] = []
    first = coverage_of_study(study, network_for_study(study), minutes=(5, 15))
    roads = cached_major_roads(DEMO_DIR / "streets.osm", crs=study.crs)
    files = sorted(tmp_path.iterdir())
    assert [p.name.split("-")[0] for p in files] == ["network", "roads"]
    for p in files:
        data = p.read_bytes()
        p.write_bytes(_flip(data, _member_middles(data)[0]))
    net = network_for_study(study, progress=_collector(said))
    again = coverage_of_study(study, net, minutes=(5, 15))
    roads_again = cached_major_roads(DEMO_DIR / "streets.osm", crs=study.crs, progress=_collector(said))
    assert again.totals.equals(first.totals) and again.communities.equals(first.communities)
    assert roads_again["osm_id"].tolist() == roads["osm_id"].tolist()
    assert [line.split(" in ")[0] for line in said if "was damaged" in line] == [
        f"the cached network {files[0].name}",
        f"the cached expressway roads {files[1].name}",
    ]
    assert str(net.notes[-1]) == said[-2] and tuple(map(str, roads_again.attrs["notes"])) == (said[-1],)
