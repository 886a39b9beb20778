"""The council's settings file: its addresses are checked when it is loaded, without loading
email-validator (which every function would otherwise import on its first request)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from complaints.datafiles import DataFileError
from complaints.settings import COUNCIL_FILE, load_settings


@pytest.mark.parametrize("address", ["complaints", "complaints@", "a b@example.gov.uk", "x@y"])
def test_a_team_address_that_is_not_an_address_is_refused_naming_the_field(
    tmp_path: Path, address: str
) -> None:
    text = COUNCIL_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "council.yaml"
    broken.write_text(
        text.replace("email: childrens.complaints@example.gov.uk", f"email: '{address}'"),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"complaints_team\.email"):
        load_settings(broken)


def test_loading_the_settings_does_not_import_email_validator() -> None:
    code = (
        "import sys; from complaints.settings import load_settings; load_settings(); "
        "print('email_validator' in sys.modules)"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "False"
