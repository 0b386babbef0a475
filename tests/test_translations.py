"""Every Chinese catalogue is complete: no entry left empty or as a fuzzy guess (Django skips those)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + [ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    fuzzy = [e for e in entries if re.search(r"^#, fuzzy", e, re.M)]
    empty = [e for e in entries if re.search(r'^msgstr ""$', e, re.M) and not re.search(r'^"', e.split("msgstr", 1)[1], re.M)]
    assert not fuzzy, fuzzy[:3]
    assert not empty, empty[:3]
