"""import_article, on files and on standard input."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimOrigin, Via
from tests.commands import TEXT, run

# --- import_article ---------------------------------------------------------------------


def test_import_article_prints_the_id_and_the_claims_it_made(story, editor):
    out, err = run(
        "import_article",
        str(story),
        "--title",
        "Convoys",
        "--outlet",
        "Wire",
        "--url",
        "https://wire.example/convoys",
        "--published",
        "2026-01-22",
        "--user",
        editor.username,
        "--accept-suggestions",
    )
    article = Article.objects.get()
    lines = out.splitlines()
    assert lines[0] == str(article.pk)
    claims = list(Claim.objects.order_by("start"))
    assert claims
    assert lines[1:] == [f"claim {c.pk}\t{c.start}\t{c.end}\t{c.text}" for c in claims]
    assert (article.outlet, str(article.published_on), article.created_by) == (
        "Wire",
        "2026-01-22",
        editor,
    )
    assert {c.origin for c in claims} == {ClaimOrigin.SUGGESTED}
    assert set(ClaimEvent.objects.values_list("via", flat=True)) == {Via.COMMAND}
    assert f"{len(claims)} claims created from suggestions." in err


def test_import_article_reads_standard_input(db, superuser, monkeypatch):
    out, err = run(
        "import_article", "-", "--title", "From stdin", stdin=TEXT.encode(), monkeypatch=monkeypatch
    )
    article = Article.objects.get()
    assert out.strip() == str(article.pk)
    assert article.body == TEXT
    assert article.created_by == superuser
    assert "sentences are suggested as claims" in err
    assert not Claim.objects.exists()


def test_import_article_takes_the_title_from_markdown(tmp_path, superuser):
    path = tmp_path / "story.md"
    path.write_text("# Convoys attacked\n\n" + TEXT)
    run("import_article", str(path))
    assert Article.objects.get().title == "Convoys attacked"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{story}"], "Give the article a title with --title."),
        (["{story}", "--title", "T", "--url", "ftp://x.example"], "web address"),
        (["{story}", "--title", "T", "--user", "ghost"], "No active user named 'ghost'"),
        (["{story}", "--title", "T", "--user", "rui"], "You need the Editor role"),
        (["/nope.txt", "--title", "T"], "Cannot read /nope.txt"),
    ],
)
def test_import_article_refuses_bad_input_and_creates_nothing(
    story, superuser, reviewer, args, message
):
    args = [a.format(story=story) for a in args]
    with pytest.raises(CommandError, match=message):
        run("import_article", *args)
    assert not Article.objects.exists()


def test_import_article_refuses_a_bad_date(story, superuser):
    with pytest.raises(CommandError, match="is not a date"):
        run("import_article", str(story), "--title", "T", "--published", "2026-13-01")


def test_import_article_needs_someone_to_act_as(story, db):
    with pytest.raises(CommandError, match="pass --user USERNAME"):
        run("import_article", str(story), "--title", "T")


def test_import_article_refuses_a_duplicate_unless_allowed(story, editor):
    run("import_article", str(story), "--title", "Convoys", "--user", editor.username)
    first = Article.objects.get()
    with pytest.raises(CommandError, match=rf"#{first.pk} “Convoys”.*same text.*--allow-duplicate"):
        run("import_article", str(story), "--title", "Convoys again", "--user", editor.username)
    assert Article.objects.count() == 1

    out, _ = run(
        "import_article",
        str(story),
        "--title",
        "Convoys again",
        "--user",
        editor.username,
        "--allow-duplicate",
    )
    second = Article.objects.get(title="Convoys again")
    assert out.splitlines()[0] == str(second.pk)
    assert second.body == first.body


def test_import_article_refuses_the_same_address(story, editor):
    Article.objects.create(title="Old", body="Other words.", url="https://wire.example/convoys")
    with pytest.raises(CommandError, match="same address"):
        run(
            "import_article",
            str(story),
            "--title",
            "Convoys",
            "--url",
            "http://www.wire.example/convoys/",
            "--user",
            editor.username,
        )
    assert not Article.objects.filter(title="Convoys").exists()


def test_import_article_keeps_one_line_details_on_one_line(story, editor):
    """A title with a line break would lose it in the edit page's one-line box, which
    glues the words together: it is stored with a space instead."""
    run(
        "import_article",
        str(story),
        "--title",
        "Bridge\r\n  closed",
        "--byline",
        "Zoë\nÅngström",
        "--outlet",
        "Le Journal\u00a0du Nord",
        "--user",
        editor.username,
    )
    article = Article.objects.get()
    assert (article.title, article.byline) == ("Bridge closed", "Zoë Ångström")
    assert article.outlet == "Le Journal\u00a0du Nord"
