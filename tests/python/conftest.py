"""Shared fixtures: paths in the repository and the online shop example."""

from __future__ import annotations

from pathlib import Path

import pytest

import threat_interview as ti

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "engagements").glob("*.json"))
ONLINE_SHOP = ROOT / "examples" / "engagements" / "online-shop.json"
SCHEMA = ROOT / "schemas" / "engagement.schema.json"


@pytest.fixture
def shop() -> ti.Engagement:
    """A fresh copy of the online shop example."""
    return ti.load(ONLINE_SHOP)


@pytest.fixture
def minimal() -> dict:
    """The smallest valid engagement with one flow, as a dict."""
    return {
        "schema_version": 1,
        "id": "e1",
        "name": "Shop",
        "assurance_level": "fast",
        "model": {
            "elements": [
                {"id": "customer", "name": "Customer", "kind": "external_interactor"},
                {"id": "web", "name": "Web shop", "kind": "process"},
            ],
            "flows": [{"id": "f1", "name": "browse", "source": "customer", "target": "web"}],
        },
    }
