"""One cache for every app host: CACHE_URL picks Redis, and what one host scored another
reads instead of scoring it again. Sessions and lock-outs are the database's already."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from suggestions import selectors
from tests.newsdesk.test_settings import load_settings

REDIS_URL = "redis://127.0.0.1:6379/15"
CACHE = "settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION')"
TEXT = (
    "The ministry said 40 per cent of the grain convoys were attacked in March. "
    "Officials expect the port to reopen next week, according to the harbour master."
)


def test_cache_url_picks_the_shared_redis_cache():
    result = load_settings("newsdesk.settings.dev", CACHE_URL=REDIS_URL, PRINT=CACHE)
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", REDIS_URL]


def test_without_cache_url_each_process_keeps_its_own():
    result = load_settings("newsdesk.settings.dev", PRINT=CACHE)
    assert result.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "None"]


def test_a_cache_url_that_is_not_redis_is_refused():
    result = load_settings("newsdesk.settings.dev", CACHE_URL="memcached://127.0.0.1:11211")
    assert "CACHE_URL must be a redis://" in result.stderr


def test_sessions_and_lockouts_live_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "newsdesk.lockout.AddressLimitedHandler"
    from axes.handlers.database import AxesDatabaseHandler

    from newsdesk.lockout import AddressLimitedHandler

    assert issubclass(AddressLimitedHandler, AxesDatabaseHandler)


@pytest.fixture
def two_hosts():
    """Two cache clients over one Redis, as two app hosts with the same CACHE_URL have."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"  # apart from anyone else's keys in the same Redis
    hosts = [RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]
    yield hosts
    hosts[0].clear()  # database 15 is the tests' own


def test_a_suggestion_scored_on_one_host_is_read_by_the_other(two_hosts, monkeypatch):
    first, second = two_hosts
    scored, score = [], selectors.scored_sentences

    def scorer(body):
        scored.append(body)
        return score(body)

    monkeypatch.setattr(selectors, "scored_sentences", scorer)
    monkeypatch.setattr(selectors, "cache", first)
    on_first = selectors.scored_article(TEXT)
    monkeypatch.setattr(selectors, "cache", second)
    on_second = selectors.scored_article(TEXT)
    assert on_second == on_first
    assert [s.text for s in on_first][:1] == [
        "The ministry said 40 per cent of the grain convoys were attacked in March."
    ]
    assert scored == [TEXT]  # scored once, on the first host
