"""What geo says, in Chinese: its errors and the network cache's lines are message codes rendered by the one
catalogue (planning.i18n), through the real code paths; the English stays what it was."""

from __future__ import annotations

import io
import json
import pickle
import re
import zipfile

import pytest
import shapely

from geo.cache import cached_major_roads, cached_network
from geo.errors import LayerError, NetworkError, OptionError, OutputError
from geo.files import atomic_write
from geo.layers import check_file_format, read_layer, safe_zip_members
from geo.messages import EN, Message, message_data, message_from_data
from geo.network import check_overlap, check_walk_speed, network_from_lines, network_from_source
from planning.i18n import say
from planning.progress import progress_text, terminal_progress

#: Three lower-case English words in a row: an English sentence left in a Chinese text.
_ENGLISH = re.compile(r"\b[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b")


def _zh(exc: BaseException) -> str:
    """The error's Chinese, checked to hold no English sentence."""
    text = say(exc, "zh")
    assert text != str(exc) and not _ENGLISH.search(text), text
    return text


def _osm(ways: list[tuple[int, list[int], dict[str, str]]], nodes: dict[int, tuple[float, float]]) -> str:
    lines = [
        f'<node id="{i}" version="1" lat="{lat:.6f}" lon="{lon:.6f}"/>' for i, (lon, lat) in nodes.items()
    ]
    for way_id, refs, tags in ways:
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        tag = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        lines.append(f'<way id="{way_id}" version="1">{nds}{tag}</way>')
    body = "\n".join(lines)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="hand">\n{body}\n</osm>\n'


def _grid_osm() -> str:
    """Two crossing residential streets and a motorway, in Beijing."""
    nodes = {
        1: (116.300, 39.900),
        2: (116.302, 39.900),
        3: (116.304, 39.900),
        4: (116.302, 39.898),
        5: (116.302, 39.902),
        6: (116.299, 39.895),
        7: (116.305, 39.895),
    }
    ways = [
        (100, [1, 2, 3], {"highway": "residential", "name": "东路"}),
        (101, [4, 2, 5], {"highway": "footway"}),
        (200, [6, 7], {"highway": "motorway", "name": "京藏高速"}),
    ]
    return _osm(ways, nodes)


@pytest.fixture(scope="module")
def grid_osm(tmp_path_factory):
    path = tmp_path_factory.mktemp("osm") / "grid.osm"
    path.write_text(_grid_osm(), encoding="utf-8")
    return path


# --- geo's errors in Chinese -----------------------------------------------------------------------------------------


def test_layer_errors_name_the_file_and_the_fix_in_chinese(tmp_path):
    with pytest.raises(LayerError) as missing:
        read_layer("facilities.csv", base_dir=tmp_path, name="facilities")
    text = _zh(missing.value)
    assert text.startswith("facilities 图层「facilities.csv」：文件 ") and "facilities.csv 不存在" in text
    assert "study.toml" in text
    assert str(missing.value).startswith("facilities layer 'facilities.csv': file ")

    (tmp_path / "sites.csv").write_text("名称,地址\n甲,一号\n乙,二号\n", encoding="utf-8")
    with pytest.raises(LayerError) as no_coords:
        read_layer("sites.csv", base_dir=tmp_path, name="candidates")
    text = _zh(no_coords.value)
    assert "sites.csv 没有坐标列" in text and "共有 2 列" in text and "经度 / 纬度" in text

    (tmp_path / "fake.gpkg").write_text("not a database", encoding="utf-8")
    with pytest.raises(LayerError) as fake:
        check_file_format(tmp_path / "fake.gpkg", where="study.toml: [layers] communities")
    assert _zh(fake.value) == (
        "study.toml: [layers] communities：fake.gpkg 不是 GeoPackage 文件（文件开头的字节属于其他格式）；"
        "请重新导出为 GeoPackage 图层"
    )


def test_a_zip_refusal_in_chinese_names_the_member(tmp_path):
    archive = tmp_path / "layers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.csv", "lon,lat\n")
    with pytest.raises(LayerError) as err:
        safe_zip_members(archive, where="uploaded layer")
    text = _zh(err.value)
    assert "layers.zip 中的 '../evil.csv' 是越出压缩包文件夹的路径" in text and "请只压缩图层文件" in text
    assert "a path that escapes the zip's folder" in str(err.value)


def test_option_and_network_errors_in_chinese(tmp_path):
    with pytest.raises(OptionError) as speed:
        check_walk_speed(5)
    assert _zh(speed.value).startswith("步行速度 5 米/秒超出允许的 0.5–2.0 米/秒")
    with pytest.raises(NetworkError) as kind:
        network_from_source("streets.xyz", crs=32650, base_dir=tmp_path)
    assert "路网数据源" in _zh(kind.value) and "streets.xyz 的类型无法识别" in _zh(kind.value)
    net = network_from_lines([shapely.LineString([(0, 0), (100, 0)])], crs=32650, source="hand")
    with pytest.raises(NetworkError) as apart:
        check_overlap(net, (50_000.0, 0.0, 51_000.0, 1000.0), context="network 'hand'")
    text = _zh(apart.value)
    assert "两者相距 49.9 公里" in text and 'coords = "gcj02"' in text


def test_an_osm_file_without_walkable_ways_lists_what_it_holds_in_chinese(tmp_path):
    nodes = {1: (116.30, 39.90), 2: (116.31, 39.90), 3: (116.30, 39.91), 4: (116.31, 39.91)}
    path = tmp_path / "roads.osm"
    path.write_text(
        _osm(
            [
                (1, [1, 2], {"highway": "motorway"}),
                (2, [3, 4], {"highway": "trunk"}),
                (3, [1, 3, 4, 2, 1], {"building": "yes"}),
            ],
            nodes,
        ),
        encoding="utf-8",
    )
    with pytest.raises(NetworkError) as err:
        network_from_source(str(path), crs=32650)
    assert "(found highway=motorway 1, highway=trunk without foot=yes or sidewalk 1; 1 other ways" in str(
        err.value
    )
    text = _zh(err.value)
    assert "highway=motorway 1 条、highway=trunk（无 foot=yes 或 sidewalk）1 条；另有 1 条要素" in text


def test_an_output_error_says_the_fix_in_chinese(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OutputError) as err:
        atomic_write(blocker / "out" / "report.json", "{}")
    text = _zh(err.value)
    assert text.startswith(f"无法写入 {blocker / 'out' / 'report.json'}（")
    assert text.endswith("；请检查路径上的每一级文件夹都已存在，且是文件夹而不是文件")


def test_an_error_with_messages_inside_keeps_them_through_pickle():
    err = NetworkError.of(
        "osm_no_walkable_ways",
        label="x.osm",
        listed=(Message.of("osm_left_out_tag", tag="area=yes", n=2),),
        extra="",
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is NetworkError and str(back) == str(err)
    assert (
        say(back, "zh")
        == "x.osm 中没有可步行的道路（找到的是：area=yes 2 条）；请提供包含研究区人行道和街道的数据"
    )


# --- the network cache's lines, through the real cache -------------------------------------------------------------


def _entry(folder, kind: str):
    (entry,) = folder.glob(f"{kind}-*.cache")
    return entry


def test_a_damaged_network_entry_is_said_in_chinese(grid_osm, tmp_path):
    fresh = cached_network(str(grid_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    entry = _entry(tmp_path, "network")
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) - 10])
    log = io.StringIO()
    said: list[object] = []

    def progress(fraction: float, message: object) -> None:
        said.append(message)
        terminal_progress(stream=log, lang="zh")(fraction, message)

    net = cached_network(str(grid_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path, progress=progress)
    line = net.notes[-1]
    size = len(good) - good.index(b"\n") - 1
    zh = (
        f"缓存的步行网络 {entry.name}（位于 {tmp_path}）已损坏（文件不完整：只有 {size} 字节中的 {size - 10} 字节）；"
        "已删除并重新解析源文件"
    )
    assert say(line, "zh") == zh
    assert str(line) == (
        f"the cached network {entry.name} in {tmp_path} was damaged (truncated: {size - 10} of {size} bytes); "
        "removed it and parsed the file again"
    )
    assert line in said and log.getvalue().rstrip().endswith(zh)
    assert progress_text(line, "en") == str(line)
    # the loader's own notes came back from the cache as codes, each with its Chinese
    again = cached_network(str(grid_osm), crs=32650, walk_speed_m_s=1.0, folder=tmp_path)
    assert again.notes == fresh.notes and len(fresh.notes) >= 2
    assert [say(n, "zh") for n in again.notes][:2] == [
        "保留了 2 条可步行的 OSM 道路",
        "未纳入：highway=motorway 1 条",
    ]


def test_an_entry_of_an_older_version_is_said_in_chinese(grid_osm, tmp_path):
    from geo.cache import CACHE_VERSION

    cached_major_roads(grid_osm, crs=32650, folder=tmp_path)
    entry = _entry(tmp_path, "roads")
    data = entry.read_bytes()
    entry.write_bytes(data.replace(f" v{CACHE_VERSION} ".encode(), f" v{CACHE_VERSION - 1} ".encode(), 1))
    roads = cached_major_roads(grid_osm, crs=32650, folder=tmp_path)
    (line,) = roads.attrs["notes"]
    assert say(line, "zh") == (
        f"缓存的快速路 {entry.name}（位于 {tmp_path}）由旧版 eldercircle 写入（缓存版本 {CACHE_VERSION - 1}，"
        f"当前为 {CACHE_VERSION}）；已删除并重新解析源文件"
    )
    assert str(line).startswith(
        f"the cached expressway roads {entry.name} in {tmp_path} was from an older version"
    )


def test_an_unwritable_cache_folder_is_said_in_chinese(grid_osm, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    net = cached_network(str(grid_osm), crs=32650, walk_speed_m_s=1.0, folder=blocker / "cache")
    text = say(net.notes[-1], "zh")
    assert text.startswith(f"步行网络缓存 {blocker / 'cache'} 无法写入（无法写入 ")
    assert text.endswith(
        "；请检查路径上的每一级文件夹都已存在，且是文件夹而不是文件）；下次仍将重新解析源文件"
    )
    assert not _ENGLISH.search(text.replace(str(tmp_path), ""))


# --- messages as data ------------------------------------------------------------------------------------------------


def test_a_message_goes_through_json_and_back():
    note = Message.of(
        "osm_left_out",
        found=(
            Message.of("osm_left_out_tag", tag="area=yes", n=1),
            Message.of("osm_left_out_no_foot", tag="x", n=2),
        ),
    )
    back = message_from_data(json.loads(json.dumps(message_data(note))))
    assert back == note and str(back) == "left out: area=yes 1, x without foot=yes or sidewalk 2"
    assert say(back, "zh") == "未纳入：area=yes 1 条、x（无 foot=yes 或 sidewalk）2 条"
    with pytest.raises(KeyError):
        message_from_data({"code": "no_such_code", "params": []})


def test_every_chinese_text_of_geo_is_chinese():
    """No English sentence is left in geo's Chinese (names, keys, commands and units stay as they are)."""
    from planning.i18n.geo_zh import GEO_ZH

    commands = re.compile(r"\{[^}]*\}|pip install \w+|osmium cat[^，；）]*")
    left = {code: zh for code, zh in GEO_ZH.items() if _ENGLISH.search(commands.sub("", zh))}
    assert not left
    assert len(set(EN.values())) == len(EN), "two codes with one English sentence"
