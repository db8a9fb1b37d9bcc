"""The Streamlit app under AppTest: every page on the demo study, the language switch, a siting run, uploads
(zipped study, refused archives, a failing layer, single layers with a column mapping) and session isolation.

The first run builds the demo's walking network (a few seconds); it is cached for the rest of the module.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planning.intake import content_id
from planning.study import key_figures, load_study
from tests.app.tiny import communities_geojson, facilities_csv, streets_geojson, tiny_study_zip
from tests.conftest import REPO

DEMO = REPO / "data" / "demo"
PAGES = ("overview", "coverage", "standards", "siting", "data")
pytestmark = pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is not generated")


def new_app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Every visible text of the run: headers, captions, markdown, alerts, labels, table headers and cells."""
    parts = [
        e.value
        for e in (
            *at.header,
            *at.subheader,
            *at.caption,
            *at.markdown,
            *at.info,
            *at.warning,
            *at.error,
            *at.success,
        )
    ]
    parts += [w.label for w in (*at.radio, *at.selectbox, *at.multiselect, *at.slider, *at.button)]
    parts += [m.label for m in at.metric]
    parts += [t.label for t in at.tabs]
    for df in at.dataframe:
        frame = df.value
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.astype(str).to_numpy().ravel()[:2000]]
    return "\n".join(map(str, parts))


@pytest.fixture(scope="module")
def demo():
    return load_study(DEMO)


def test_overview_in_chinese_shows_the_key_figures(demo):
    at = new_app()  # the default page
    assert [h.value for h in at.header] == ["总览 · 示范区（合成数据）"]
    kf = key_figures(demo)
    m = metrics(at)
    assert m["常住人口"] == f"{kf['residents'] / 1e4:.1f}万"  # Chinese readers count residents in 万
    assert m["老年人口（60岁以上）"] == f"{kf['elderly']:,.0f}"  # under 100 000: as counted
    assert m["街道/镇"] == str(kf["streets"])
    assert m["日间照料15分钟覆盖率"].endswith(" %")
    assert "演示数据为程序生成的合成数据" in at.info[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == ["类型", "数量", "15分钟覆盖率"]
    assert "日间照料中心" in table["类型"].tolist()
    # the sidebar: language, study source, speed (the study's 1.0 m/s), bands, basemap
    assert at.radio(key="lang_choice").value == "中文"
    assert at.slider(key="walk_speed_m_s").value == 1.0
    assert at.multiselect(key="bands").value == [5, 10, 15]
    assert at.selectbox(key="basemap").value == "auto"


def test_every_page_renders_in_chinese_with_its_elements_within_three_seconds():
    at = new_app()
    goto(at, "coverage")
    assert at.header[0].value == "服务圈 · 示范区（合成数据）"
    assert at.selectbox(key="coverage_kind").value == "day_care"
    assert {"5分钟内", "10分钟内", "15分钟内", "未覆盖老人"} <= set(metrics(at))
    assert [t.label for t in at.tabs] == ["按社区", "按街道", "日间照料未全覆盖的城市社区", "说明"]
    assert {"社区", "街道", "15分钟内"} <= set(at.dataframe[0].value.columns)
    assert "各类设施分时段覆盖率" in texts(at)

    goto(at, "standards")
    assert at.header[0].value == "标准 · 示范区（合成数据）"
    assert at.selectbox(key="std_preset").value == "xinzhou"
    assert {"达标", "不达标", "无法评估", "规则数"} <= set(metrics(at))
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "规则",
        "层级",
        "单元",
        "现状值",
        "标准值",
        "结论",
        "缺口",
        "依据",
        "核实状态",
        "说明",
    ]
    assert table["结论"].str.contains("不达标").any()
    assert "未核实" in set(table["核实状态"])  # status R: recalled, not yet confirmed in a source
    rules = at.dataframe[1].value
    assert "GB 50437-2007（2018年版）3.2.1" in " ".join(rules["依据"])

    goto(at, "siting")
    assert at.header[0].value == "选址 · 示范区（合成数据）"
    assert "选择设施类型与目标" in texts(at)

    goto(at, "data")
    assert at.header[0].value == "数据"
    assert {"读取", "字段对应", "已修复", "已拒绝", "说明"} == set(metrics(at))
    body = texts(at)
    assert "数据校验报告" in body and "下载结果" in body
    assert "facilities.csv" in body
    assert "列「名称」识别为标准字段 name" in body and "读取 70 行，接受 70 行，拒绝 0 行" in body
    assert "rows read" not in body and "column '名称'" not in body

    # after the first load every page renders again (their times are measured by bench/bench_app.py, not here)
    for page in PAGES:
        goto(at, page)
        assert not at.exception, page


def test_language_switch_changes_the_texts():
    at = new_app()
    at.radio(key="lang_choice").set_value("English").run()
    assert at.header[0].value == "Overview · Demo district (synthetic data)"
    assert "Residents" in metrics(at)
    assert "Elderly walking speed (m/s)" in [s.label for s in at.slider]
    goto(at, "standards")
    assert at.header[0].value == "Standards · Demo district (synthetic data)"
    table = at.dataframe[0].value
    assert "Citation" in table.columns and "依据" not in table.columns
    assert "unverified" in set(table["Status"]) and "未核实" not in set(table["Status"])
    caption = next(c.value for c in at.caption if "rules of the" in c.value)
    assert caption.startswith(
        "Demo district (synthetic data): 20 rules of the Xinzhou District, Shangrao (Jiangxi)"
    ), caption
    assert at.selectbox(key="std_preset").value == "xinzhou"
    at.selectbox(key="std_preset").set_value("henan").run()
    goto(at, "coverage")
    assert "Within 15 min" in metrics(at)
    assert [t.label for t in at.tabs][:2] == ["By community", "By street"]
    at.radio(key="lang_choice").set_value("中文").run()
    assert at.header[0].value == "服务圈 · 示范区（合成数据）"
    goto(at, "standards")  # the preset chosen before is kept across pages and languages
    assert at.selectbox(key="std_preset").value == "henan"
    assert at.dataframe[1].value["依据"].str.contains("河南省养老服务条例").any()


def test_changing_bands_and_speed_keeps_working():
    at = new_app()
    goto(at, "coverage")
    at.multiselect(key="bands").set_value([10]).run()
    assert not at.exception
    assert set(metrics(at)) == {"10分钟内", "未覆盖老人"}
    slow = metrics(at)["10分钟内"]
    at.slider(key="walk_speed_m_s").set_value(1.5).run()
    assert not at.exception
    fast = metrics(at)["10分钟内"]
    assert float(fast.rstrip(" %")) > float(slow.rstrip(" %"))
    assert "步行速度 1.5 米/秒：10 分钟约 900 米" in texts(at)
    at.selectbox(key="basemap").set_value("amap").run()
    assert not at.exception
    assert "高德底图为 GCJ-02 坐标" in texts(at)
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert "未填写密钥：不显示天地图底图。" in texts(at)


def test_siting_run_shows_the_recommended_sites():
    at = new_app()
    goto(at, "siting")
    submit = next(b for b in at.button if b.label == "运行选址")
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert m["推荐站点"] == "3"
    before, after = float(m["选址前覆盖率"].rstrip(" %")), float(m["选址后覆盖率"].rstrip(" %"))
    assert after > before
    sites = at.dataframe[0].value
    assert sites["顺序"].tolist() == [1, 2, 3]
    gains = sites["新增覆盖老人"].tolist()
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert "每处新站点的边际增益" in texts(at)
    summary = next(c.value for c in at.caption if "新增 3 处日间照料中心" in c.value)
    assert "已证明最优（差距 0）" in summary and "步行 15 分钟内可达的老人" in summary
    notes = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("需求点：老年人口分布图层" in n for n in notes) and not any("demand:" in n for n in notes), (
        notes
    )
    unreachable = next(df.value for df in at.dataframe if "原因" in df.value.columns)
    assert unreachable["原因"].str.contains("日间照料中心|可步行道路").all()
    # the result stays when the user looks at another page and comes back, in the other language
    goto(at, "data")
    at.radio(key="lang_choice").set_value("English").run()
    goto(at, "siting")
    assert metrics(at)["Recommended sites"] == "3"
    summary = next(c.value for c in at.caption if "3 new Day-care centre site(s)" in c.value)
    assert summary.startswith("Maximal coverage (add K): ") and "proven optimal (gap 0)" in summary
    assert any(m.value.startswith("- demand: ") for m in at.markdown)


def _choose_zip(at: AppTest, data: bytes, name: str = "study.zip") -> AppTest:
    at.radio(key="study_source").set_value("zip").run()
    at.file_uploader(key="study_zip").set_value((name, data, "application/zip")).run()
    return at


def test_zipped_study_upload_is_used_by_every_page():
    at = new_app()
    _choose_zip(at, tiny_study_zip(), "tiny.zip")
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "总览 · 小城测试区"
    assert "上传上限：200 MB" in texts(at)
    goto(at, "coverage")
    assert metrics(at)["15分钟内"] == "100.0 %"
    goto(at, "data")
    shown = texts(at)
    assert "小城测试区" in shown
    # the study's own folder, never the server's path to the session's uploads
    assert "tiny/study.toml" in shown
    assert str(Path(tempfile.gettempdir())) not in shown and str(REPO) not in shown


def test_zip_escaping_its_folder_is_refused_and_the_app_keeps_working():
    at = new_app()
    _choose_zip(at, tiny_study_zip(extra={"../../evil.toml": "x"}), "evil.zip")
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1 and "越出压缩包文件夹的路径" in errors[0] and "evil.zip" in errors[0]
    assert "请在左侧上传研究区压缩包" in at.info[0].value
    _choose_zip(at, tiny_study_zip(extra={"tiny/virus.exe": b"MZ"}), "exe.zip")
    assert "研究区用不到的文件类型：tiny/virus.exe" in at.sidebar.error[0].value
    at.radio(key="study_source").set_value("demo").run()
    assert at.header[0].value == "总览 · 示范区（合成数据）"


def test_a_failing_layer_shows_the_loaders_message_and_other_pages_work():
    bad = "name,lon,lat\n某设施,118.001,28.441\n"  # no kind column
    at = new_app()
    _choose_zip(at, tiny_study_zip(facilities=bad), "bad.zip")
    assert not at.exception
    msg = at.error[0].value
    assert msg.startswith("研究区无法加载：facilities 图层「facilities.csv」缺少必填列 kind"), (
        msg
    )  # said in Chinese
    goto(at, "standards")
    assert "缺少必填列 kind" in at.error[0].value
    at.radio(key="study_source").set_value("folder").run()
    at.text_input(key="folder_path").set_value("/nonexistent/study").run()
    assert not at.exception
    assert "研究区 /nonexistent/study 不存在" in at.error[0].value
    at.radio(key="study_source").set_value("demo").run()
    assert at.header[0].value == "标准 · 示范区（合成数据）"


def test_single_layers_with_a_column_mapping_become_a_study():
    at = new_app()
    at.radio(key="study_source").set_value("layers").run()
    assert "请在「数据」页上传图层并确认字段对应" in at.sidebar.info[0].value
    goto(at, "data")
    comm = json.dumps(communities_geojson(chinese=True), ensure_ascii=False).encode()
    fac = facilities_csv(kind_column="机构类别代码").encode()
    at.file_uploader(key="up_communities").set_value(("社区.geojson", comm, "application/geo+json")).run()
    at.file_uploader(key="up_facilities").set_value(("设施.csv", fac, "text/csv")).run()
    at.file_uploader(key="up_network").set_value(
        ("streets.geojson", json.dumps(streets_geojson()).encode(), "application/geo+json")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    # the communities' Chinese columns are recognised; the facilities' kind column is not, so the user maps it
    assert at.selectbox(key=f"map_communities_elderly_{content_id(comm)}").value == "老年人口"
    kind = at.selectbox(key=f"map_facilities_kind_{content_id(fac)}")
    assert kind.value == "—"
    kind.set_value("机构类别代码").run()
    at.text_input(key="import_name").set_value("映射测试区").run()
    at.button(key="build_study").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "研究区 · 映射测试区" in [s.value for s in at.subheader]
    assert "已由上传的图层建立研究区" in texts(at)
    goto(at, "overview")
    assert at.header[0].value == "总览 · 映射测试区"
    assert metrics(at)["常住人口"] == "7,000"


def test_sessions_do_not_share_uploads_or_choices():
    a, b = new_app(), new_app()
    _choose_zip(a, tiny_study_zip(), "tiny.zip")
    a.radio(key="lang_choice").set_value("English").run()
    b.run()
    assert a.header[0].value == "Overview · Tiny test district"
    assert b.header[0].value == "总览 · 示范区（合成数据）"
    assert b.radio(key="lang_choice").value == "中文"
    assert "_zip_study" in a.session_state and "_zip_study" not in b.session_state
    assert a.session_state["_session_dir"] != b.session_state.get("_session_dir")


def test_english_pages_hold_no_chinese_but_names_and_cited_documents(demo):
    """The English switch is complete: once the names of places and facilities (the data) and the cited documents'
    own titles are taken out, no Chinese is left on any page, a siting run included."""
    import re

    from planning.siting import SITING_MINUTES_CITATION
    from planning.standards import PRESETS

    names = {
        str(v)
        for frame, col in (
            (demo.communities, "name"),
            (demo.communities, "street"),
            (demo.facilities, "name"),
            (demo.candidates, "name"),
        )
        for v in frame[col].dropna()
    }
    names |= {r.citation for p in PRESETS.values() for r in p.rules} | {
        "信州区",
        "宜春",
        SITING_MINUTES_CITATION,
    }
    names.add("语言 / Language")  # the switch itself is labelled in both languages
    names |= {"养老院", "老年养护院", "毗邻"}  # the documents' own terms, quoted in the rules' notes
    # the administrative units the texts set their rules by: street (街道), town (镇)
    names |= {"街道", "镇"}
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
    at = new_app()
    at.radio(key="lang_choice").set_value("English").run()
    left = {}
    for page in PAGES:
        goto(at, page)
        if page == "siting":
            next(b for b in at.button if b.label == "Run siting").click().run()
        body = texts(at)
        for name in sorted(names, key=len, reverse=True):
            body = body.replace(name, "")
        body = re.sub(r"'[^'\n]*'", "", body)  # the file's own column names, quoted in the loader's messages
        found = cjk.findall(body)
        if found:
            left[page] = sorted(set(found))[:10]
    assert not left, left


def test_rejected_rows_are_named_on_every_page():
    """A row the loader rejects is named where the user looks first: file, layer, row and the loader's reason
    with its fix; the analyses go on without it."""
    from tests.app.tiny import facilities_csv

    bad = facilities_csv().replace("day_care", "托儿所", 1) + "坏行,day_care,,\n"
    at = new_app()
    _choose_zip(at, tiny_study_zip(facilities=bad), "rows.zip")
    assert not at.exception, [e.value for e in at.exception]
    warning = at.warning[0].value
    assert warning.startswith("有 2 行数据被拒绝，未参与分析")
    assert (
        "- 养老服务设施图层（facilities.csv）有 2 行被拒绝，未计入任何分析：第 1 行「东园日间照料中心」（kind 列中的"
        "「托儿所」不是可识别的设施类型；请改为以下之一："
    ) in warning
    assert "；第 4 行「坏行」（「lon」/「lat」列的坐标缺失或不是数字；请补充该行的经纬度" in warning
    assert metrics(at)["常住人口"] == "7,000"
    at.radio(key="lang_choice").set_value("English").run()
    warning = at.warning[0].value
    assert (
        "- facilities layer (facilities.csv): 2 rows rejected and left out of every analysis: row 1 '东园日间照料中心' "
        "(kind '托儿所' is not a facility kind; use one of: "
    ) in warning
    assert "; row 4 '坏行' (missing or non-numeric coordinates in 'lon'/'lat'" in warning
    # every page says it, not only the first
    for page in ("coverage", "standards", "siting"):
        goto(at, page)
        assert "2 rows rejected and left out of every analysis" in at.warning[0].value, page


def test_changing_bands_kind_or_speed_does_not_rebuild_the_network(monkeypatch):
    """The walking network is built once per study (st.cache_resource); bands, kinds and speed only re-time it."""
    from app_pages import common

    built = []
    real = common.network_for_study

    def counting(study):
        built.append(study.name)
        return real(study)

    monkeypatch.setattr(common, "network_for_study", counting)
    at = new_app()
    _choose_zip(at, tiny_study_zip(), "tiny.zip")  # this session's own folder: a study not cached yet
    goto(at, "coverage")
    at.multiselect(key="bands").set_value([10, 15]).run()
    at.selectbox(key="coverage_kind").set_value("meal_point").run()
    at.slider(key="walk_speed_m_s").set_value(0.8).run()
    goto(at, "standards")
    goto(at, "siting")
    assert not at.exception, [e.value for e in at.exception]
    assert built.count("小城测试区") == 1  # (the demo's, opened first, is built at most once per process)
    assert built.count("示范区（合成数据）") <= 1
