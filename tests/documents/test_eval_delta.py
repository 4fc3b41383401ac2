"""Evaluate (documents): the vectors' lead over the TF-IDF baseline; a tie is not drawn as a win (a green "up" arrow
beside "+0.000" when both scored 1.000)."""

from __future__ import annotations

from pages._evaluate_documents_ui import delta_args


def test_a_tie_has_no_arrow_and_a_lead_or_a_loss_has_one() -> None:
    assert delta_args(0.0) == {"delta": "±0.000", "delta_color": "off", "delta_arrow": "off"}
    assert delta_args(-0.0004)["delta_arrow"] == "off"  # rounds to 0
    assert delta_args(0.021) == {"delta": "+0.021", "delta_color": "normal", "delta_arrow": "auto"}
    assert delta_args(-0.05)["delta"] == "-0.050"
