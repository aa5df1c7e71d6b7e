"""suggest_claims, on files and on standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from articles.models import Article
from claims.models import Claim
from tests.commands import TEXT, run
from tests.factories import SENTENCES

ROOT = Path(__file__).resolve().parents[2]


def test_suggest_claims_prints_json_with_offsets_into_the_stored_text(story):
    out, _ = run("suggest_claims", str(story), "--json")
    found = json.loads(out)
    assert found
    assert set(found[0]) == {"text", "start", "end", "score", "reasons", "attributed_to"}
    for item in found:
        assert TEXT[item["start"] : item["end"]] == item["text"]
        assert 0.4 <= item["score"] <= 1
    by_text = {item["text"]: item for item in found}
    assert by_text[SENTENCES[0]]["attributed_to"] == "officials"
    assert "hedged: “allegedly”" in by_text[SENTENCES[1]]["reasons"]


def test_suggest_claims_reads_standard_input_and_saves_nothing(db, monkeypatch):
    out, err = run("suggest_claims", "-", stdin=TEXT.encode(), monkeypatch=monkeypatch)
    assert SENTENCES[1] in out
    assert "suggestions." in err
    assert not Article.objects.exists()
    assert not Claim.objects.exists()


def test_suggest_claims_reads_html(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(
        b"<html><body><nav>Menu</nav><article><h1>Head</h1><p>"
        + SENTENCES[1].encode()
        + b"</p></article></body></html>"
    )
    found = json.loads(run("suggest_claims", str(page), "--json")[0])
    assert [f["text"] for f in found] == [SENTENCES[1]]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["/nonexistent/story.txt"], None, "Cannot read /nonexistent/story.txt"),
        (["-"], b"", "empty"),
        (["-"], b"\x00\x01\x02\x03binary", "binary"),
    ],
)
def test_suggest_claims_refuses_bad_input(args, stdin, message, monkeypatch):
    with pytest.raises(CommandError, match=message):
        run("suggest_claims", *args, stdin=stdin, monkeypatch=monkeypatch)


def test_suggest_claims_refuses_unknown_kinds(tmp_path):
    path = tmp_path / "story.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match=r"\.html files\. Name the format with --format\."):
        run("suggest_claims", str(path))


def test_suggest_claims_exits_non_zero_on_bad_input_from_a_shell():
    done = subprocess.run(
        [sys.executable, "manage.py", "suggest_claims", "-", "--json"],
        cwd=ROOT,
        input=b"",
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert b"The file is empty." in done.stderr
    good = subprocess.run(
        [sys.executable, "manage.py", "suggest_claims", "-", "--json"],
        cwd=ROOT,
        input=TEXT.encode(),
        capture_output=True,
        timeout=60,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)[0]["text"] == SENTENCES[0]
