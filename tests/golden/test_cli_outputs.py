"""The command line's outputs on the demo study stay byte-identical (times aside) unless a change means them to
differ: refactorings must leave every line and every JSON value as it was. After a change of output that is meant,
write the expected files again with ``python -m tests.golden.cli_outputs`` and review the diff."""

from __future__ import annotations

import pytest

from tests.golden.cli_outputs import COMMANDS, EXPECTED, run


@pytest.mark.parametrize("name", list(COMMANDS))
def test_cli_output_on_the_demo_is_unchanged(name):
    for file, text in run(name).items():
        expected = (EXPECTED / file).read_text(encoding="utf-8")
        assert text == expected, f"{file} differs from tests/golden/expected/{file}"
