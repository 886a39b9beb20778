"""The console's stylesheet: GOV.UK and MoJ Frontend with a system font, never GDS
Transport (it is for GOV.UK only), images under /staff/assets/."""

from __future__ import annotations

import pytest

from complaints_tools.staff_assets import SYSTEM_FONTS, AssetError, rewrite_css


def test_gds_transport_becomes_the_system_font_stack() -> None:
    css = (
        '@font-face{font-family:"GDS Transport";src:url(/assets/fonts/light.woff2)}'
        ".govuk-body{font-family:GDS Transport,arial,sans-serif;color:#0b0c0c}"
        ".moj-x{background:url(/assets/images/icon-document.svg)}"
        "/*# sourceMappingURL=x.css.map */"
    )
    out, images = rewrite_css(css)
    assert "GDS Transport" not in out
    assert "@font-face" not in out
    assert f"font-family:{SYSTEM_FONTS}" in out
    assert "url(/staff/assets/images/icon-document.svg)" in out
    assert images == {"icon-document.svg"}
    assert "sourceMappingURL" not in out


def test_a_rewrite_that_leaves_the_font_behind_fails() -> None:
    with pytest.raises(AssetError):
        rewrite_css(".x{font:12px 'GDS Transport'}")
