"""Generated hostile input (Hypothesis) through the services and the web forms: every
bad value is refused with an error that names its field, and nothing is half-written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import Claim, ClaimEvent, Source, Stance
from claims.services import claim_create, source_add
from newsdesk.fields import web_url
from tests.factories import ArticleFactory, ClaimFactory, editor_factory, reviewer_factory

PAYLOADS = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://files.example/x",
            "http://" + "a" * 3000 + ".example",
            "https://ok.example/\x00",
            "<script>alert(1)</script>",
            "'; DROP TABLE claims_claim; --",
            "\u202eevil",
            "https://",
            "http:///nohost",
        ]
    ),
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def is_web_url(value: str) -> bool:
    try:
        web_url(value)
    except ValidationError:
        return False
    return len(value) <= 2000 and "\x00" not in value


@pytest.mark.django_db
@SETTINGS
@given(url=PAYLOADS, stance=st.one_of(st.sampled_from(Stance.values), st.text(max_size=20)))
def test_source_add_refuses_bad_input_by_field(url, stance):
    reviewer = reviewer_factory(username="fuzz-reviewer")
    claim = ClaimFactory()
    if is_web_url(url.strip()) and stance in Stance.values:
        assert source_add(claim=claim, by=reviewer, url=url, stance=stance).pk
        return
    with pytest.raises(ValidationError) as error:
        source_add(claim=claim, by=reviewer, url=url, stance=stance)
    assert error.value.message_dict
    assert set(error.value.message_dict) <= {"url", "stance"}
    assert not ClaimEvent.objects.filter(claim=claim).exists()
    assert not Source.objects.filter(claim=claim).exists()


@pytest.mark.django_db
@SETTINGS
@given(start=st.integers(min_value=-10, max_value=10_000), length=st.integers(-5, 400))
def test_claim_create_refuses_spans_it_cannot_anchor(start, length):
    editor = editor_factory(username="fuzz-editor")
    article = ArticleFactory()
    end = start + length
    if 0 <= start < end <= len(article.body) and article.body[start:end].strip():
        claim = claim_create(article=article, start=start, end=end, by=editor)
        assert claim.text == article.body[start:end]
        return
    with pytest.raises(ValidationError) as error:
        claim_create(article=article, start=start, end=end, by=editor)
    assert set(error.value.message_dict) == {"start"}
    assert not Claim.objects.filter(article=article).exists()


@pytest.mark.django_db
@SETTINGS
@given(
    fields=st.fixed_dictionaries(
        {
            "url": PAYLOADS,
            "stance": PAYLOADS,
            "publisher": PAYLOADS,
            "title": PAYLOADS,
            "excerpt": PAYLOADS,
            "accessed_on": PAYLOADS,
            "archived_url": PAYLOADS,
        }
    )
)
def test_the_source_form_names_the_field_it_refuses(client, fields):
    reviewer = reviewer_factory(username="fuzz-web")
    client.force_login(reviewer)
    claim = ClaimFactory()
    response = client.post(reverse("claims:add_source", args=[claim.pk]), fields)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        form = response.context["source_form"]
        assert form.errors
        assert set(form.errors) <= {*fields, "__all__"}
    else:
        assert Source.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db
@SETTINGS
@given(
    data=st.fixed_dictionaries(
        {"to": PAYLOADS, "note": PAYLOADS, "rationale": PAYLOADS, "expected_version": PAYLOADS}
    )
)
def test_the_decision_form_never_fails_and_never_half_writes(client, data):
    client.force_login(reviewer_factory(username="fuzz-decider"))
    claim = ClaimFactory()
    response = client.post(reverse("claims:decide", args=[claim.pk]), data)
    assert response.status_code in (302, 400, 409)
    claim.refresh_from_db()
    events = ClaimEvent.objects.filter(claim=claim).count()
    assert (claim.version == 1) == (events == 0)
