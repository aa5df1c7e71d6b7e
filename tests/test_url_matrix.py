"""Who may do what, for every URL the app defines, every method and every role.

The table is checked against the URL configuration: a new view without an entry here
fails `test_every_url_has_an_entry`. The admin's own URLs are Django's and admit staff
only (tests/claims/test_admin.py)."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.services import article_loaded
from claims.models import ClaimStatus, Stance
from newsdesk.text import text_digest
from suggestions.models import DismissedSuggestion
from tests.factories import (
    SENTENCES,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    UserFactory,
)

ROLES = ["anonymous", "nobody", "reviewer", "editor", "staff", "superuser"]
MEMBERS = {"reviewer": 200, "editor": 200, "staff": 200, "superuser": 200}
LOGIN = {"anonymous": 302, "nobody": 403}


def every_role(code: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


def member_page() -> dict[str, int]:
    return {**LOGIN, **MEMBERS}


def member_post(**codes: int) -> dict[str, int]:
    return {**LOGIN, **codes}


# name: {method: {role: status}}
EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "dashboard": {"GET": member_page(), "POST": every_role(405)},
    "claims:queue": {"GET": member_page(), "POST": every_role(405)},
    "claims:export": {"GET": member_page(), "POST": every_role(405)},
    "claims:report": {"GET": member_page(), "POST": every_role(405)},
    "claims:detail": {"GET": member_page(), "POST": every_role(405)},
    "articles:list": {"GET": member_page(), "POST": every_role(405)},
    "articles:detail": {"GET": member_page(), "POST": every_role(405)},
    "claims:assign": {
        "GET": every_role(405),
        # Editors are refused with a message (they cannot be assignees): still a redirect.
        "POST": member_post(reviewer=302, editor=302, staff=302, superuser=302),
    },
    "claims:decide": {
        "GET": every_role(405),
        "POST": member_post(reviewer=302, editor=403, staff=302, superuser=302),
    },
    "claims:edit": {
        "GET": member_post(reviewer=403, editor=200, staff=200, superuser=200),
        "POST": member_post(reviewer=403, editor=302, staff=302, superuser=302),
    },
    "claims:add_source": {
        "GET": every_role(405),
        "POST": member_post(reviewer=302, editor=403, staff=302, superuser=302),
    },
    "claims:remove_source": {
        "GET": every_role(405),
        "POST": member_post(reviewer=302, editor=403, staff=302, superuser=302),
    },
    "articles:add_claim": {
        "GET": every_role(405),
        "POST": member_post(reviewer=403, editor=302, staff=302, superuser=302),
    },
    "articles:import": {
        "GET": member_post(reviewer=403, editor=200, staff=200, superuser=200),
        "POST": member_post(reviewer=403, editor=302, staff=302, superuser=302),
    },
    "articles:edit": {
        "GET": member_post(reviewer=403, editor=200, staff=200, superuser=200),
        "POST": member_post(reviewer=403, editor=302, staff=302, superuser=302),
    },
    **{
        f"articles:{name}": {
            "GET": every_role(405),
            "POST": member_post(reviewer=403, editor=302, staff=302, superuser=302),
        }
        for name in (
            "accept_suggestion",
            "dismiss_suggestion",
            "accept_all_suggestions",
            "restore_suggestion",
            "retry_suggestions",
        )
    },
    # How far the job preparing a long article's suggestions has got: an Editor's, as the
    # suggestions are.
    "articles:suggestion_progress": {
        "GET": member_post(reviewer=403, editor=200, staff=200, superuser=200),
        "POST": every_role(405),
    },
    # Links between claims of different articles: whoever may link (Reviewers, Editors);
    # copying a linked claim's sources adds sources, which is a Reviewer's. A GET (the
    # login page sending someone on to the button they clicked) goes back to the claim
    # page, doing nothing, for whoever the POST would let through.
    "related:link": {
        "GET": member_post(reviewer=302, editor=302, staff=302, superuser=302),
        "POST": member_post(reviewer=302, editor=302, staff=302, superuser=302),
    },
    "related:unlink": {
        "GET": member_post(reviewer=302, editor=302, staff=302, superuser=302),
        "POST": member_post(reviewer=302, editor=302, staff=302, superuser=302),
    },
    "related:copy_sources": {
        "GET": member_post(reviewer=302, editor=403, staff=302, superuser=302),
        "POST": member_post(reviewer=302, editor=403, staff=302, superuser=302),
    },
    "login": {
        "GET": {**every_role(302), "anonymous": 200},
        "POST": {**every_role(302), "anonymous": 200},
    },
    "logout": {"GET": every_role(405), "POST": every_role(302)},
    "healthz": {"GET": every_role(200), "POST": every_role(405)},
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"Unnamed URL pattern {pattern.pattern}: name it"
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_an_entry():
    assert url_names() == set(EXPECTED)


def request_for(name: str, method: str):
    """The URL and the data a real user of that view would send."""
    claim = ClaimFactory(status=ClaimStatus.UNVERIFIED)
    source = SourceFactory(claim=claim)
    # The same claim in another article, marked the same, with a source to copy.
    other = ClaimFactory()
    SourceFactory(claim=other)
    ClaimLinkFactory(claim=claim, other=other)
    body = claim.article.body
    start = body.index(SENTENCES[1])
    injured = {
        "start": start,
        "end": start + len(SENTENCES[1]),
        "digest": text_digest(SENTENCES[1]),
    }
    dismissed = DismissedSuggestion.objects.create(
        article=claim.article, text=SENTENCES[2], dismissed_by=UserFactory()
    )
    args = {
        "claims:export": ["csv"],
        "claims:detail": [claim.pk],
        "claims:decide": [claim.pk],
        "claims:edit": [claim.pk],
        "claims:add_source": [claim.pk],
        "claims:remove_source": [claim.pk, source.pk],
        "articles:detail": [claim.article_id],
        "articles:add_claim": [claim.article_id],
        "articles:edit": [claim.article_id],
        "articles:accept_suggestion": [claim.article_id],
        "articles:dismiss_suggestion": [claim.article_id],
        "articles:accept_all_suggestions": [claim.article_id],
        "articles:restore_suggestion": [claim.article_id, dismissed.pk],
        "articles:retry_suggestions": [claim.article_id],
        "articles:suggestion_progress": [claim.article_id],
        "related:link": [claim.pk],
        "related:unlink": [claim.pk, other.pk],
        "related:copy_sources": [claim.pk, other.pk],
    }.get(name, [])
    data = {
        "claims:assign": {"take": claim.pk, f"version-{claim.pk}": claim.version},
        "claims:decide": {"to": "disputed", "note": "Old photo", "expected_version": 1},
        "claims:edit": {"quote": claim.text, "attributed_to": "X", "expected_version": 1},
        "claims:add_source": {
            "url": "https://a.example/x",
            "stance": Stance.SUPPORTS,
            "accessed_on": "2026-11-20",
        },
        "articles:add_claim": {"quote": SENTENCES[3]},
        "articles:import": {"title": "Imported", "text": SENTENCES[3]},
        "articles:edit": {
            "title": "Edited",
            "body": body + " More.",
            "language": "en",
            "expected_version": 1,
            "loaded": json.dumps(article_loaded(claim.article)),
        },
        "articles:accept_suggestion": injured,
        "articles:dismiss_suggestion": injured,
        "articles:accept_all_suggestions": {"threshold": "0.5"},
        "login": {"username": "nobody-here", "password": "wrong password"},
        "related:link": {"other": other.pk, "kind": "related"},
    }.get(name, {})
    return reverse(name, args=args), data


CASES = [
    (name, method, role)
    for name, methods in EXPECTED.items()
    for method, roles in methods.items()
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_roles_by_url(db, request, client, name, method, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url, data = request_for(name, method)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == EXPECTED[name][method][role]
    if response.status_code == 302 and role == "anonymous" and name not in ("logout",):
        assert response["Location"].startswith(reverse("login"))
