"""The interview guide: Markdown and HTML from Python, the HTML rendered by a real headless
browser (Chromium from the system's packages; `make test` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import threat_interview as ti

HOSTILE = "<script>document.title='owned'</script> Ana & \"Co\""


def planned(shop: ti.Engagement) -> ti.Engagement:
    shop.merge(shop.generate_questions())
    shop.plan()
    return shop


def test_the_guide_in_markdown(shop: ti.Engagement) -> None:
    engagement = planned(shop)
    whole = engagement.guide()
    assert whole.startswith("# Interview guide: Tidewater Supply online shop, standard review\n")
    assert whole == engagement.guide(format="md"), "deterministic"
    one = engagement.guide("md", interview="iv-business")
    assert one.startswith("# Interview guide: Business stakeholders")
    assert "## Coverage gaps" in one
    assert "*Why:*" in one and "*Notes:*" in one


def test_unknown_interview_and_format_are_refused(shop: ti.Engagement) -> None:
    with pytest.raises(KeyError, match="did you mean `iv-business`"):
        shop.guide(interview="iv-bussiness")
    with pytest.raises(ValueError, match="expected `md` or `html`"):
        shop.guide(format="pdf")  # type: ignore[arg-type]


class TextAndTags(HTMLParser):
    """The text of a document and the tags it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def chromium() -> str:
    """The Chromium binary; a failure under CI (where `make test` installs it), else a skip."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (`make system-packages` installs it with apt-get)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def render(html: Path) -> subprocess.CompletedProcess[str]:
    """The DOM Chromium builds from the file, with the page's console on stderr."""
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def page_errors(stderr: str) -> list[str]:
    """The lines of Chromium's log that report an error of the page (its console, its script)."""
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "SyntaxError" in line
    ]


def test_the_error_check_sees_a_page_error(tmp_path: Path) -> None:
    # The check below would pass on anything if it could not see an error: show it can.
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>throw new Error('boom')</script></body></html>"
    )
    result = render(broken)
    assert result.returncode == 0, result.stderr
    assert any("boom" in line for line in page_errors(result.stderr)), result.stderr


def test_the_html_guide_renders_in_a_headless_browser(shop: ti.Engagement, tmp_path: Path) -> None:
    data = planned(shop).to_dict()
    data["name"] = HOSTILE
    data["participants"][0]["name"] = HOSTILE
    engagement = ti.Engagement.from_dict(data)
    html = engagement.guide(format="html")
    assert html == engagement.guide(format="html"), "deterministic"
    page = tmp_path / "guide.html"
    page.write_text(html, encoding="utf-8")

    result = render(page)
    assert result.returncode == 0, result.stderr
    assert page_errors(result.stderr) == [], result.stderr

    dom = TextAndTags()
    dom.feed(result.stdout)
    text = " ".join(" ".join(dom.text).split())
    assert "script" not in dom.tags, "a name became a script"
    assert "style" in dom.tags
    # The name is shown as text, whole, and no script of it ran (the title is still ours).
    assert f"Interview guide: {HOSTILE}" in text
    assert "<title>Interview guide: &lt;script&gt;document.title=" in result.stdout
    assert "Architecture walk-through, part 1" in text
    assert "Follow-up prompts:" in text
    assert "Coverage gaps" in text
    first = engagement.to_dict()["interviews"][1]["agenda"][0]["question"]
    assert " ".join(engagement.question(first)["text"].split()) in text


def test_the_component_graph_as_mermaid_and_dot(shop: ti.Engagement) -> None:
    engagement = planned(shop)
    mermaid = engagement.to_mermaid()
    assert mermaid.startswith("flowchart LR\n")
    assert mermaid == engagement.to_mermaid(), "deterministic"
    assert mermaid.count("subgraph ") == 6
    assert "(crosses a boundary)" not in mermaid, "parentheses are entities in Mermaid"
    assert "#40;crosses a boundary#41;" in mermaid
    dot = engagement.to_dot()
    assert dot.startswith('digraph "Tidewater Supply online shop, standard review" {')
    assert dot.count("subgraph cluster_") == 6
    assert "penwidth=3" in dot


def test_the_roadmap_puts_quick_wins_first(shop: ti.Engagement) -> None:
    shop.add_hint({"id": "h-1", "text": "Prices over plain HTTP", "subjects": ["api-gateway"]})
    shop.add_hint({"id": "h-2", "text": "Shared admin account", "subjects": ["shop-staff"]})
    shop.promote_hint(
        "h-2",
        {
            "id": "fd-2",
            "title": "No trace of who changed an order",
            "attack_path": [{"description": "a colleague uses the shared account"}],
            "severity": "critical",
        },
    )
    shop.promote_hint(
        "h-1",
        {
            "id": "fd-1",
            "title": "Prices altered in transit",
            "attack_path": [{"description": "rewrite the plain HTTP response"}],
            "severity": "low",
        },
    )
    shop.set_quick_win("fd-1")
    report = shop.roadmap()
    assert report == shop.roadmap(), "deterministic"
    assert report.index("Prices altered in transit") < report.index("No trace of who")
    assert "## Quick wins" in report and "### Critical" in report
    assert "1. rewrite the plain HTTP response" in report


def graphviz() -> str:
    """Graphviz's `dot`; a failure under CI (where `make test` installs it), else a skip."""
    found = shutil.which("dot")
    if found is None:
        message = "graphviz is not installed (`make system-packages` installs it with apt-get)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


NASTY = 'a"b\\\\c]x[y{z}|w;#q`<script>\nend -> "'


def test_any_id_gives_a_graph_graphviz_reads(minimal: dict) -> None:
    minimal["name"] = NASTY
    minimal["model"]["boundaries"] = [
        {"id": NASTY, "name": NASTY},
        {"id": "inner", "name": "subgraph } {", "parent": NASTY},
    ]
    minimal["model"]["elements"][0]["id"] = NASTY + "1"
    minimal["model"]["elements"][0]["boundary"] = "inner"
    minimal["model"]["elements"][1]["name"] = NASTY
    minimal["model"]["flows"][0]["source"] = NASTY + "1"
    minimal["model"]["flows"][0]["name"] = NASTY
    engagement = ti.Engagement.from_dict(minimal)
    result = subprocess.run(
        [graphviz(), "-Tsvg"],
        input=engagement.to_dot(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    svg = TextAndTags()
    svg.feed(result.stdout)
    text = " ".join(svg.text)
    assert "subgraph } {" in text
    assert "<script>" in text, "the name is text in the picture"
    assert "script" not in svg.tags
