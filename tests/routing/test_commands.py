"""`xinfang routing-eval` and `xinfang routing-train`, exactly as spelled."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from xinfang.routing.models import ModelVersion

DATA = Path(__file__).parent / "data" / "petitions.jsonl"


def run(*args: str) -> dict:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_routing_eval_prints_every_figure(rworld: SimpleNamespace) -> None:
    result = run("routing-eval", str(DATA))
    assert result["items"] == 36 and result["mode"].endswith("rules")
    assert result["category"]["accuracy"] >= 0.8
    assert {"repeats", "clusters", "legal_channel", "throughput"} <= set(result)


def test_routing_eval_cross_validates_and_trains_elsewhere(db: None, tmp_path: Path) -> None:
    cv = run("routing-eval", str(DATA), "--cv", "3")
    assert cv["folds"] == 3 and "cross-validation" in cv["mode"]
    half = tmp_path / "half.jsonl"
    half.write_text("".join(DATA.read_text(encoding="utf-8").splitlines(True)[::2]), "utf-8")
    trained = run("routing-eval", str(DATA), "--train", str(half))
    assert trained["mode"].startswith("trained on 18")
    # The 18 it learned from are in FILE too: only the other half is scored.
    assert trained["items"] == 36 and trained["left_out_as_trained_on"] == 18
    # A title written differently (or generated) does not hide that it is the same petition.
    retitled = tmp_path / "retitled.jsonl"
    rows = [json.loads(line) for line in half.read_text("utf-8").splitlines()]
    retitled.write_text(
        "".join(
            json.dumps({**r, "title": f"来信{i}"}, ensure_ascii=False) + "\n"
            for i, r in enumerate(rows)
        ),
        "utf-8",
    )
    again = run("routing-eval", str(DATA), "--train", str(retitled))
    assert again["left_out_as_trained_on"] == 18
    with pytest.raises(CommandError, match="trained on"):
        call_command("routing-eval", str(half), "--train", str(DATA))
    with pytest.raises(CommandError):
        call_command("routing-eval", str(tmp_path / "missing.jsonl"))


def test_routing_train_makes_a_version_the_eval_then_uses(
    rworld: SimpleNamespace, settings: object, tmp_path: Path
) -> None:
    settings.XINFANG_ROUTING_MODEL_DIR = str(tmp_path)
    half = tmp_path / "part.jsonl"
    half.write_text("".join(DATA.read_text(encoding="utf-8").splitlines(True)[:24]), "utf-8")
    out = run("routing-train", "--file", str(half))
    assert out["version"] == 1 and out["items"] == 24
    assert ModelVersion.objects.get().office == rworld.bureau
    result = run("routing-eval", str(DATA))
    assert result["mode"].endswith("model v1")
    assert result["left_out_as_trained_on"] == 24  # never scored on what it learned from
    with pytest.raises(CommandError, match="trained on"):
        call_command("routing-eval", str(half))


def test_routing_train_without_data_says_so(rworld: SimpleNamespace) -> None:
    with pytest.raises(CommandError, match="不足"):
        call_command("routing-train")


def test_the_commands_are_spelled_with_a_hyphen() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "xinfang.cli", "help"],
        capture_output=True,
        text=True,
        env={"XINFANG_DEV": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    assert "routing-eval" in listed and "routing-train" in listed
