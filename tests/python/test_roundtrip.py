"""Dicts, JSON, YAML and files keep everything."""

from __future__ import annotations

import copy
import json
import os
import pickle
from pathlib import Path

import pytest

import threat_interview as ti
from conftest import EXAMPLES, ONLINE_SHOP


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_from_dict_of_to_dict_is_equal(path: Path) -> None:
    e = ti.load(path)
    assert ti.Engagement.from_dict(e.to_dict()) == e


def test_to_dict_is_the_file(shop: ti.Engagement) -> None:
    assert shop.to_dict() == json.loads(ONLINE_SHOP.read_text())
    assert json.loads(shop.to_json()) == shop.to_dict()


def test_save_then_load_keeps_everything(shop: ti.Engagement, tmp_path: Path) -> None:
    shop.merge(shop.generate_questions())
    first = shop.questions[0]["id"]
    shop.record_answer(first, "Through the payment provider", by="ana-ferreira", at="2025-03-04")
    for name in ("saved.json", "saved.yaml"):
        path = tmp_path / name
        shop.save(path)
        again = ti.load(path)
        assert again == shop
        assert again.to_dict() == shop.to_dict()
    assert (tmp_path / "saved.json").read_text() == shop.to_json()


def test_save_is_atomic_and_leaves_no_temporary_file(shop: ti.Engagement, tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text("old")
    shop.save(os.fspath(path))
    assert ti.load(path) == shop
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.json"]


def test_a_failed_save_raises_os_error_with_the_path(shop: ti.Engagement, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "e.json"
    with pytest.raises(OSError) as caught:
        shop.save(target)
    assert caught.value.filename == str(target)


def test_equality_copy_and_pickle(shop: ti.Engagement) -> None:
    other = shop.copy()
    assert other == shop and other is not shop
    assert copy.deepcopy(shop) == shop
    assert pickle.loads(pickle.dumps(shop)) == shop
    other.merge(other.generate_questions())
    other.record_answer(other.questions[0]["id"], "yes")
    assert other != shop
    assert shop != "not an engagement"
    with pytest.raises(TypeError):
        hash(shop)


def test_a_new_engagement_round_trips() -> None:
    e = ti.Engagement("e9", "Payroll", assurance_level="high")
    assert e.assurance_level == "high"
    assert ti.Engagement.from_dict(e.to_dict()) == e
    with pytest.raises(ValueError, match="assurance level"):
        ti.Engagement("e9", "Payroll", assurance_level="extreme")  # type: ignore[arg-type]


def test_from_dict_refuses_what_is_not_json_data() -> None:
    with pytest.raises(TypeError):
        ti.Engagement.from_dict({"id": object()})
