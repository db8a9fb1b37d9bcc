"""The command line: exit codes, the one-line summary, errors as one sentence."""

from __future__ import annotations

from planning.cli import main
from tests.planning.test_study import LAT0, LON0, make_study


def test_validate_prints_mappings_repairs_rejections_and_summary(tmp_path, capsys):
    csv = ("名称,类型,经度,纬度,建筑面积\n"
           f"a,日间照料中心,{LON0 + 0.001},{LAT0 + 0.001},\"1,200\"\n"
           f"b,老年大学,{LON0 + 0.002},{LAT0 + 0.001},300\n")
    folder = make_study(tmp_path / "s", facilities=csv)
    code = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1  # a row was rejected
    assert "mapped    facilities (facilities.csv): column '建筑面积' → floor_area_m2" in out
    assert "repaired  facilities (facilities.csv) row 1: floor_area_m2 (建筑面积): '1,200' read as 1200" in out
    assert "rejected  facilities (facilities.csv) row 2: kind (类型) '老年大学' is not a facility kind" in out
    assert out.index("== study ==") < out.index("== communities ==") < out.index("== facilities ==")
    assert "summary: 3 communities in 2 streets/towns, 16,000 residents, 3,000 elderly (18.8 %)" in out
    assert "1 rejected rows" in out
    assert "left out of every analysis" in err


def test_validate_clean_study_exits_zero(tmp_path, capsys):
    assert main(["validate", str(make_study(tmp_path / "s"))]) == 0
    assert "0 rejected rows" in capsys.readouterr().out


def test_validate_missing_study_is_one_sentence_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: study ") and "does not exist" in err and err.count("\n") == 1
