"""`manage.py match_claims`: an article's (or one claim's) matches in other articles,
printed for people or as JSON, and nothing saved."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from claims.models import Claim, ClaimStatus
from related.models import ClaimMatch
from tests.commands import run
from tests.factories import ArticleFactory

S = ClaimStatus
CONVOYS = "Five supply convoys came under attack on the northern route, officials said."
CONVOYS_FOUR = "Four supply convoys came under attack on the northern route, officials said."
BRIDGE = "Three contractors were allegedly injured near the Karsk bridge on Sunday."
ALONE = "The festival opens with a parade of painted boats on Saturday."


def claim_in(article, text: str, *, status: str = S.UNVERIFIED) -> Claim:
    start = article.body.index(text)
    return Claim.objects.create(
        article=article, text=text, start=start, end=start + len(text), status=status
    )


@pytest.fixture
def pair(db):
    """A confirmed convoy claim, its copy and a four-convoy rewrite in a newer article."""
    earlier = ArticleFactory(title="Convoys hit in the north", body=CONVOYS)
    newer = ArticleFactory(title="Aid route attacked", body=f"{CONVOYS}\n\n{ALONE}")
    rewrite = ArticleFactory(title="Four convoys", body=CONVOYS_FOUR)
    return {
        "confirmed": claim_in(earlier, CONVOYS, status=S.CONFIRMED),
        "copy": claim_in(newer, CONVOYS),
        "alone": claim_in(newer, ALONE),
        "four": claim_in(rewrite, CONVOYS_FOUR, status=S.DISPUTED),
        "newer": newer,
    }


def test_matches_of_an_article_are_printed_claim_by_claim(pair):
    stored = ClaimMatch.objects.count()
    out, _ = run("match_claims", "--article", str(pair["newer"].pk))
    copy, confirmed, four = pair["copy"], pair["confirmed"], pair["four"]
    lines = out.splitlines()
    assert lines[0] == f"#{copy.pk} [Unverified] “{CONVOYS}”"
    said = out.split(f"#{pair['alone'].pk} [Unverified]")[0]
    assert f"#{confirmed.pk} Confirmed, same, score " in said
    assert "in “Convoys hit in the north”" in said
    assert f"#{four.pk} Disputed, related, not the same, score " in said
    assert "reasons: " in said
    # The same claim comes before the one whose number differs.
    assert said.index(f"#{confirmed.pk} Confirmed") < said.index(f"#{four.pk} Disputed")
    assert f"#{pair['alone'].pk} [Unverified] “{ALONE}”\n  no matches in other articles" in out
    assert ClaimMatch.objects.count() == stored  # nothing saved


def test_one_claim_as_json(pair):
    out, _ = run("match_claims", "--claim", str(pair["copy"].pk), "--json", "--limit", "1")
    [row] = json.loads(out)
    assert row["claim"] == pair["copy"].pk
    assert row["text"] == CONVOYS
    [match] = row["matches"]
    assert match["claim"] == pair["confirmed"].pk
    assert match["status"] == "confirmed"
    assert match["same"] is True
    assert 0 < match["score"] <= 1
    assert isinstance(match["reasons"], list)
    assert match["article"] == {
        "id": pair["confirmed"].article_id,
        "title": "Convoys hit in the north",
    }


def test_the_json_of_an_article_lists_every_claim(pair):
    out, _ = run("match_claims", "--article", str(pair["newer"].pk), "--json")
    rows = json.loads(out)
    assert [r["claim"] for r in rows] == [pair["copy"].pk, pair["alone"].pk]
    assert rows[1]["matches"] == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "Say which claims to match: --article ID (every claim of that article) or --claim ID"),
        (("--article", "999999"), "There is no article #999999."),
        (("--claim", "999999"), "There is no claim #999999."),
    ],
)
def test_unknown_or_missing_ids_are_named(pair, args, said):
    with pytest.raises(CommandError, match=said.replace("(", r"\(").replace(")", r"\)")):
        run("match_claims", *args)


def test_a_claim_of_another_article_is_refused(pair):
    with pytest.raises(CommandError, match=f"There is no claim #{pair['four'].pk} in article"):
        run("match_claims", "--article", str(pair["newer"].pk), "--claim", str(pair["four"].pk))


def test_an_article_without_claims_says_so(db):
    article = ArticleFactory()
    with pytest.raises(CommandError, match=f"Article #{article.pk} has no claims to match."):
        run("match_claims", "--article", str(article.pk))


@pytest.mark.parametrize(
    "args", [("--article", "x"), ("--claim", "-3"), ("--article", "1", "--limit", "0")]
)
def test_bad_numbers_are_refused_by_the_parser(db, args):
    with pytest.raises(CommandError, match="not"):
        run("match_claims", *args)
