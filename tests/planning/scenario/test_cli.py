"""``eldercircle scenario`` on the demo: the tables, save -> load gives the same output and JSON, one sentence and
exit 2 for every bad option."""

from __future__ import annotations

import json
import re

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR

#: A spot in 西苑社区 (西城街道) by a street, in WGS84.
SPOT = "117.998,28.4677"
ASCII_WORDS = re.compile(r"[A-Za-z]{4,} [A-Za-z]{4,}")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["scenario", str(DEMO_DIR), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_scenario_prints_before_after_and_saves(capsys, tmp_path):
    plan = tmp_path / "方案A.toml"
    code, out, _ = run(
        capsys,
        "--add",
        f"day_care@{SPOT}:新中心",
        "--close",
        "青山镇综合养老服务中心",
        "--set",
        "老城街道综合养老服务中心:beds=200",
        "--save",
        str(plan),
        "--json",
        str(tmp_path / "a.json"),
    )
    assert code == 0
    assert "全区：现状与方案对比" in out and "变化的社区" in out and "判定改变的规则" in out
    assert re.search(r"日间照料中心 5 分钟内老年人\s+3,056 \(5\.9%\)\s+3,111 \(6\.0%\)\s+\+55", out)
    assert re.search(r"西苑社区\s+日间照料中心 5 分钟内老年人\s+100\s+155\s+\+55", out)
    last = out.strip().splitlines()[-1]
    assert last.startswith("方案「方案A」：新增 1 处、关闭 1 处、调整 1 处设施")
    assert plan.is_file() and 'name = "方案A"' in plan.read_text(encoding="utf-8")
    first = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    code, again, _ = run(capsys, "--load", str(plan), "--json", str(tmp_path / "b.json"))
    assert code == 0
    assert again.replace(str(tmp_path / "b.json"), "") == out.split("\n", 1)[1].replace(
        str(tmp_path / "a.json"), ""
    )
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8")) == first
    assert first["summary_zh"] == last


def test_load_then_add_more_in_english(capsys, tmp_path):
    plan = tmp_path / "p.toml"
    assert run(capsys, "--close", "青山镇综合养老服务中心", "--save", str(plan))[0] == 0
    more = tmp_path / "q.toml"
    code, out, _ = run(
        capsys, "--load", str(plan), "--add", f"day_care@{SPOT}", "--lang", "en", "--save", str(more)
    )
    assert code == 0
    assert "District: before and after" in out
    assert out.strip().splitlines()[-1].startswith("scenario 'q': 1 facilities added, 1 closed, 0 changed")
    assert 'name = "q"' in more.read_text(encoding="utf-8") and 'name = "p"' in plan.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["--close", "青山"], "没有名为「青山」的设施", "no facility is named '青山'"),
        (["--add", "day_care@120,28"], "位于研究范围之外", "outside the study area"),
        (["--add", "day_care@1"], "格式应为", "write it as KIND@LON,LAT"),
        (["--add", "spa@117.99,28.46"], "不认识的设施类型「spa」", "unknown facility kind 'spa'"),
        (["--set", "既有4"], "格式应为", "write it as NAME:beds=N"),
        (["--set", "老城街道综合养老服务中心:beds=-2"], "不能为负数", "cannot be negative"),
        (["--load", "nowhere.toml"], "找不到方案文件", "no scenario file at"),
        (["--save", "a b.toml"], "不能用作文件名", "cannot be a file name"),
    ],
)
def test_bad_options_say_one_sentence(capsys, args, zh, en):
    code, _, err = run(capsys, *args)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith("错误：") and zh in line and not ASCII_WORDS.search(line)
    code, _, err = run(capsys, *args, "--lang", "en")
    assert code == 2 and en in err.strip().splitlines()[-1]


def test_a_file_of_another_study(capsys, tmp_path):
    other = tmp_path / "o.toml"
    other.write_text('format = 1\nstudy = "别处"\nname = "o"\n', encoding="utf-8")
    code, _, err = run(capsys, "--load", str(other))
    assert code == 2 and "别处" in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["scenario", str(DEMO_DIR), "--coords", "utm"])
    assert exc.value.code == 2
