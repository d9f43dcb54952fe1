"""The notebook example runs as a plain script, and the notebook views are escaped HTML."""

from __future__ import annotations

import runpy
import subprocess
import sys

import threat_interview as ti
from conftest import ROOT


def test_the_notebook_example_runs_as_a_script() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "notebook.py")],
        capture_output=True,
        text=True,
        cwd=ROOT / "tests",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "saved and reloaded" in result.stdout


def test_the_notebook_example_runs_in_process() -> None:
    namespace = runpy.run_path(str(ROOT / "examples" / "notebook.py"))
    # The notebook records one answer; the model answers three more: the staff's connections,
    # and the data the customer and the payment provider exchange, which it lists.
    engagement = namespace["engagement"]
    assert engagement.counts["answered"] == 4
    answered = sorted(q["id"] for q in engagement.questions if q.get("status") == "answered")
    assert answered == [
        "engagement.business.value-and-worst-outcomes.confirm",
        "interactor.context.data.caller@payment-provider",
        "interactor.context.data.person@customer",
        "interactor.context.transit.person-internal@shop-staff",
    ]


def test_html_views_escape_user_text() -> None:
    e = ti.Engagement("e<1>", "<script>alert('x')</script> & co", assurance_level="fast")
    html = e._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html
    assert html.startswith("<table")


def test_html_and_records_of_every_view(shop: ti.Engagement) -> None:
    questions = shop.generate_questions()
    shop.merge(questions)
    for view in (questions, shop.coverage(), ti.validate(shop)):
        html = view._repr_html_()
        assert html.startswith("<table") and html.endswith("</table>")
        records = view.to_records()
        assert isinstance(records, list)
        for record in records:
            assert all(isinstance(k, str) for k in record)
    assert "more" in questions._repr_html_(), "a long list says how many rows it left out"
