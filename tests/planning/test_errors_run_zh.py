"""The errors raised while running the analyses and writing their outputs, said in Chinese: each names the same
facts as its English sentence (the option, the value, the file, the fix) and holds no English sentence; the command
line says them in the command's language, on one line."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from geo.errors import InfeasibleError, OptionError, StudyError
from geo.network import network_from_lines
from planning.cli import main
from planning.coverage import check_kinds, check_minutes
from planning.demo import DEMO_DIR
from planning.i18n import say
from planning.report import check_k_anon, prepare_out_dir
from planning.siting import SitingOptions, siting_of_study
from planning.study import Study
from tests.conftest import REPO
from tests.planning.test_study import make_study
from tests.studies import frames_study

#: Three English words in a row: an English sentence left in a Chinese one.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
CRS = "EPSG:32650"


def _zh(exc: BaseException, *, system: str = "") -> str:
    """The Chinese of ``exc``: rendered from its code, not its English, with no English sentence (but the
    operating system's own words ``system``)."""
    assert isinstance(exc, StudyError) and exc.message is not None, "raised without a message code"
    text = say(exc, "zh")
    assert text != str(exc) and say(exc, "en") == str(exc)
    assert not ENGLISH.search(text.replace(system, "")), text
    return text


def test_an_unknown_minutes_list_in_chinese():
    with pytest.raises(OptionError) as err:
        check_minutes("5;10")
    assert str(err.value).startswith("--minutes '5;10': item 1 ('5;10') is not a whole number of minutes")
    zh = _zh(err.value)
    assert "--minutes '5;10'" in zh and "第 1 项" in zh and "逗号" in zh and "5,10,15" in zh
    with pytest.raises(OptionError) as err:
        check_minutes("10,5")
    zh = _zh(err.value)
    assert "5 排在 10 之后" in zh and "递增" in zh


def test_an_unknown_kind_and_none_present_in_chinese():
    facilities = gpd.GeoDataFrame({"kind": ["day_care"]}, geometry=gpd.points_from_xy([0.0], [0.0]))
    with pytest.raises(OptionError) as err:
        check_kinds("canteen", facilities)
    assert "未知的设施类型 canteen" in _zh(err.value) and "day_care" in _zh(err.value)
    with pytest.raises(OptionError) as err:
        check_kinds("day_care", facilities.iloc[:0])
    assert str(err.value).endswith("kinds present: (none)")
    assert _zh(err.value).endswith("现有类型：（无）")


def test_a_k_anonymity_threshold_below_one_in_chinese():
    with pytest.raises(OptionError) as err:
        check_k_anon(0)
    zh = _zh(err.value)
    assert "k = 0" in zh and "不小于 1 的整数" in zh and "--k-anon 10" in zh


def test_a_non_empty_report_folder_without_force_in_chinese(tmp_path):
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OptionError) as err:
        prepare_out_dir(tmp_path)
    assert "is not empty (1 entries: notes.txt)" in str(err.value)
    zh = _zh(err.value)
    assert str(tmp_path) in zh and "不为空" in zh and "notes.txt" in zh and "--force" in zh


def test_an_output_folder_under_a_file_in_chinese(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OptionError) as err:
        prepare_out_dir(blocker / "out")
    reason = str(err.value).split("(")[-1].split(")")[0]  # the operating system's words, e.g. Not a directory
    zh = _zh(err.value, system=reason)
    assert zh.startswith(f"无法创建输出文件夹 {blocker / 'out'}") and "有写入权限的文件夹" in zh
    with pytest.raises(OptionError) as err:
        prepare_out_dir(blocker)
    assert "是一个文件而不是文件夹" in _zh(err.value) and "--out" in _zh(err.value)


def _tiny_study(candidates: list[tuple[str, float, float]] | None) -> Study:
    """Two communities on one straight street 3 km long, their elderly on it; day-care candidates at ``(name, x,
    y)``, or no candidates layer."""
    crs = pyproj.CRS.from_user_input(CRS)
    comm = gpd.GeoDataFrame(
        {"name": ["West", "East"], "street": ["Hexi", "Hedong"], "population": [5000.0, 5000.0]}
        | {"elderly": [3.0, 3.0], "kind": ["urban", "urban"], "built": ["existing", "existing"]},
        geometry=[shapely.box(0, -100, 1000, 100), shapely.box(1000, -100, 3000, 100)],
        crs=crs,
    )
    xs = [400.0, 750.0, 850.0, 1150.0, 1250.0, 1600.0]
    pop = gpd.GeoDataFrame(
        {"elderly": [1.0] * 6, "population": [10.0] * 6, "id": [f"p{i}" for i in range(6)]},
        geometry=shapely.points(np.column_stack([xs, np.zeros(6)])),
        crs=crs,
    )
    fac = gpd.GeoDataFrame({"name": [], "kind": [], "beds": []}, geometry=[], crs=crs)
    cand = None
    if candidates is not None:
        cand = gpd.GeoDataFrame(
            {"name": [c[0] for c in candidates], "kinds": "day_care", "cost": 1.0, "beds": 10.0}
            | {"floor_area_m2": np.nan, "land_area_m2": np.nan, "_row": np.arange(2, 2 + len(candidates))},
            geometry=[shapely.Point(c[1], c[2]) for c in candidates],
            crs=crs,
        )
    return frames_study(comm, fac, folder=Path("/tmp/tiny"), crs=crs, candidates=cand, population=pop)


def test_an_infeasible_siting_in_chinese():
    net = network_from_lines([shapely.LineString([(0, 0), (3000, 0)])], crs=CRS)
    far = [("X", 500.0, 900.0), ("Y", 2500.0, -700.0)]  # 900 m and 700 m off the only street
    with pytest.raises(InfeasibleError) as err:
        siting_of_study(_tiny_study(far), net, SitingOptions(kind="day_care", add=1))
    assert str(err.value) == (
        "all 2 candidate sites for day_care were excluded (2: outside the network); fix or add candidate sites "
        "within 300 m of a walkable street"
    )
    zh = _zh(err.value)
    assert "day_care 的全部 2 个候选地块都被排除" in zh and "不在步行网络上：2 个" in zh and "300 米" in zh
    with pytest.raises(InfeasibleError) as err:
        siting_of_study(_tiny_study(None), net, SitingOptions(kind="day_care", add=1, generate=False))
    assert str(err.value).startswith("/tmp/tiny has no candidates layer; add candidate sites whose kinds")
    assert _zh(err.value).startswith("/tmp/tiny 没有候选地块图层；请添加类型包含 day_care 的候选地块")


def _run(args: list[str]) -> tuple[int, str, str]:
    """Exit code, standard output and standard error (without progress lines) of the command line."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    errors = "".join(line for line in err.getvalue().splitlines(keepends=True) if not line.startswith("["))
    return code, out.getvalue(), errors


@pytest.mark.parametrize(
    "args, zh, en",
    [
        (
            ["coverage", str(DEMO_DIR), "--minutes", "10,5"],
            "错误：--minutes '10,5'：5 排在 10 之后，但时间段必须递增",
            "error: --minutes '10,5': 5 comes after 10, but bands must increase",
        ),
        (
            ["report", str(DEMO_DIR), "--out", "unused", "--k-anon", "0"],
            "错误：隐私阈值 k = 0.0 必须是不小于 1 的整数",
            "error: the privacy threshold k = 0.0 must be a whole number of at least 1",
        ),
    ],
)
def test_the_command_line_says_the_error_in_its_language(args, zh, en):
    code, _, err = _run(args)
    assert code == 2 and err.count("\n") == 1 and err.startswith(zh), err
    assert not ENGLISH.search(err)
    code, _, err = _run([*args, "--lang", "en"])
    assert code == 2 and err.count("\n") == 1 and err.startswith(en), err


def test_the_check_says_why_rules_are_not_assessable_in_chinese(tmp_path):
    code, out, _ = _run(["check", str(make_study(tmp_path / "s"))])
    assert code == 0
    assert "说明: 研究区未指定路网，15分钟养老服务圈和社区卫生服务中心步行距离的规则无法评估" in out


def test_the_command_lines_own_sentences_keep_their_english():
    assert say("cli_os_error_file", "en", filename="/x/a.json", reason="No space left on device") == (
        "a file could not be read or written (/x/a.json): No space left on device; check the path, its "
        "permissions and the free disk space"
    )
    assert say("cli_internal_error_log", "en", kind="KeyError", command="site", log="/tmp/e.log") == (
        "internal error (KeyError) in eldercircle site; the details are in /tmp/e.log; please report it (see "
        "SECURITY.md), or run with ELDERCIRCLE_DEBUG=1 to see the trace"
    )
    assert say("cli_internal_error", "zh", kind="KeyError", command="site").startswith(
        "eldercircle site 发生内部错误"
    )
    assert (say("cli_note", "zh"), say("cli_attention", "zh"), say("cli_interrupted", "zh")) == (
        "说明: ",
        "注意: ",
        "已中断",
    )
    assert say("cli_note", "en") == say("cli_attention", "en") == "note: "


#: The modules whose errors are converted here (planning/standards/presets.py is read with the study).
RUN_MODULES = [
    *(
        p
        for area in ("coverage", "siting", "report", "standards", "maps")
        for p in sorted((REPO / "planning" / area).glob("*.py"))
        if p.name != "presets.py"
    ),
    *(REPO / "planning" / name for name in ("land.py", "export.py", "progress.py", "cli.py")),
]
ERROR_CLASSES = {"StudyError", "LayerError", "NetworkError", "InfeasibleError", "OptionError", "OutputError"}


def test_every_error_of_a_run_has_a_message_code():
    """No error of these modules is built from a plain English string: each gets ``message(code, ...)``."""
    plain = []
    for path in RUN_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ERROR_CLASSES:
                arg = node.args[0] if node.args else None
                coded = (
                    isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "message"
                )
                if not coded:
                    plain.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not plain


def _section_keys(name: str) -> set[str]:
    """The keys of the table ``name`` (``STUDY_ERRORS`` or ``RUN_ERRORS``) of planning/i18n, read from its source."""
    module = {"STUDY_ERRORS": "study_errors.py", "RUN_ERRORS": "run_errors.py"}[name]
    tree = ast.parse((REPO / "planning" / "i18n" / module).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            assert isinstance(node.value, ast.Dict)
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError(f"no section {name}")


def test_every_run_code_is_used_and_none_is_a_study_code():
    run = _section_keys("RUN_ERRORS")
    assert len(run) > 70 and not run & _section_keys("STUDY_ERRORS")
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "planning").rglob("*.py") if "i18n" not in p.parts
    )
    assert not [code for code in sorted(run) if f'"{code}"' not in sources]
