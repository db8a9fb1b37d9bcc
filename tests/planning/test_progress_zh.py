"""Progress messages are message codes: the demo study's coverage run says every step in Chinese, and the command
line's bar draws them in the language of --lang (its English unchanged)."""

from __future__ import annotations

import contextlib
import io
import re
import string

from geo.messages import Message
from planning.cli import main
from planning.coverage import coverage_of_study, network_for_study, service_circle_layer
from planning.demo import DEMO_DIR
from planning.i18n import CATALOGUE, message, say
from planning.i18n.geo_zh import GEO_ZH
from planning.progress import ProgressMessage, named, part, progress_text
from planning.study import load_study

#: Three English words in a row: a sentence left untranslated (names such as streets.osm or day_care are one word).
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _run_with(progress: object) -> None:
    study = load_study(DEMO_DIR, progress=progress)
    net = network_for_study(study, progress=progress)
    result = coverage_of_study(study, net, kinds=["day_care"], progress=progress)
    service_circle_layer(study, net, result, kinds=["day_care"], progress=progress)


def test_the_demo_coverage_run_says_every_step_in_chinese():
    said: list[ProgressMessage] = []
    _run_with(lambda fraction, msg: said.append(msg))
    assert len(said) > 10
    assert all(isinstance(m, Message) for m in said), [m for m in said if not isinstance(m, Message)]
    for m in said:
        zh = say(m, "zh")
        assert CJK.search(zh) and not ENGLISH_RUN.search(zh), (m.code, zh)
    english = [str(m) for m in said]
    assert "placing demand on the network" in english and "coverage done" in english
    assert "walking times to day_care" in english
    assert any(e.startswith("service circles of day_care: ") for e in english)
    zh = [say(m, "zh") for m in said]
    assert "正在计算到日间照料中心的步行时间" in zh
    assert any(z.startswith("日间照料中心服务圈：") for z in zh)


def test_a_part_label_goes_with_its_inner_message_in_one_language():
    got: list[ProgressMessage] = []
    inner = part(
        lambda f, m: got.append(m),
        0.0,
        0.5,
        message("progress_service_circles_of", kind=named("kind", "day_care")),
    )
    inner(1.0, Message.of("progress_service_areas_done"))
    inner(1.0, "plain")
    assert [progress_text(m, "en") for m in got] == [
        "service circles of day_care: service areas done",
        "service circles of day_care: plain",
    ]
    assert progress_text(got[0], "zh") == "日间照料中心服务圈：服务圈计算完成"
    # a plain-text label stays as it was: before text only
    plain: list[ProgressMessage] = []
    labelled = part(lambda f, m: plain.append(m), 0.0, 1.0, "x: ")
    labelled(0.5, "text")
    labelled(0.5, Message.of("progress_service_areas_done"))
    assert [progress_text(m, "en") for m in plain] == ["x: text", "service areas done"]
    assert named("kind", "no_such_kind") == "no_such_kind"


def _bar_lines(lang: str) -> list[str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert main(["coverage", str(DEMO_DIR), "--kinds", "day_care", "--lang", lang]) == 0
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    assert lines and all(line.startswith("[") and "100.0%" in line for line in lines)
    # the text after "[####] 100.0%   1.2s "
    return [line.split("s ", 1)[1] for line in lines]


def test_the_cli_bar_draws_its_final_lines_in_the_language_of_lang():
    zh = _bar_lines("zh")
    assert "覆盖分析完成" in zh
    assert any(t.startswith("步行路网：") for t in zh)
    for text in zh:
        assert CJK.search(text) and not ENGLISH_RUN.search(text), text
    en = _bar_lines("en")
    assert "coverage done" in en
    assert any(re.fullmatch(r"walking network: \d+ nodes, \d+ segments( \(cached\))?", t) for t in en)


def test_every_progress_code_reads_as_chinese():
    """Each progress sentence, geo's and planning's, with its fields filled: Chinese, no English sentence left."""
    zh = {k: z for k, (z, _) in CATALOGUE.items() if k.startswith("progress_")}
    zh |= {k: z for k, z in GEO_ZH.items() if k.startswith("progress_")}
    assert len(zh) > 45
    fmt = string.Formatter()
    for key, template in zh.items():
        text = template.format(**{f: "7" for _, f, _, _ in fmt.parse(template) if f})
        assert text.strip() and not ENGLISH_RUN.search(text), key
