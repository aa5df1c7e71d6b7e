"""Finding a claim's matches among the claims of other articles.

Two steps. The database finds candidates with its full-text index, asked only for the
claim's rarer words (PostgreSQL: a GIN index on the stored English tsvector `search_terms`,
the rarity read from ANALYZE's statistics, the candidates ranked by ts_rank and pg_trgm's
similarity so near-verbatim copies come first; SQLite: FTS5 and its BM25). Then
`related.matching` reads each candidate and judges it: how close the words are, and
whether numbers, dates, negation, opposites or speaker stand between them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from claims.models import Claim, ClaimStatus
from related import matching
from related.matching import Reading, Verdict
from suggestions.attribution import sentence_attribution

# Candidates the database hands over per claim: enough for the same claim to be among
# them when it exists, few enough to read and judge in a few milliseconds.
CANDIDATES = 25
# The index is asked for the claim's rarest words, at most this many, and only as many as
# reach ROW_BUDGET rows together (the statistics' estimate), the rarest always: rare words
# find copies and rewordings alike, and a common word would only add rows to read.
MOST_WORDS = 10
ROW_BUDGET = 10_000
# Rows a search reads and ranks at most, whatever the estimate said: bounded time.
SCANNED = 1_000
SHORTLIST = 100
STATS_TTL = 3600
# Below this many claims the statistics cost less to read than to fetch from the cache,
# and a cached copy would fall behind a small, fast-changing table.
CACHE_STATS_FROM = 10_000

_WORD = re.compile(r"^[a-z0-9]+$")


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    same: bool
    reasons: tuple[str, ...]
    # The facts that hold the two apart (the first of `reasons`), if any.
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    id: int
    text: str
    speaker: str


def claim_matches(*, claim: Claim, limit: int = 5) -> list[Match]:
    """The claims of other articles that state what `claim` states, closest first."""
    [matches] = texts_matches(
        texts=[(claim.text, claim.attributed_to)],
        exclude_article_id=claim.article_id,
        limit=limit,
    )
    return matches


def texts_matches(
    *,
    texts: Sequence[tuple[str, str]],
    exclude_article_id: int | None,
    limit: int = 3,
    reviewed_only: bool = False,
) -> list[list[Match]]:
    """For each (text, speaker), the matching claims of articles other than the one
    excluded, closest first; one list per text, in the order given."""
    judged = texts_verdicts(
        texts=texts, exclude_article_id=exclude_article_id, reviewed_only=reviewed_only
    )
    kept = [ranked[:limit] for ranked in judged]
    ids = {claim_id for ranked in kept for claim_id, _ in ranked}
    claims = (
        Claim.objects.filter(id__in=ids)
        .select_related("article")
        .annotate(sources_count=Count("sources"))
        .in_bulk()
        if ids
        else {}
    )
    return [
        [
            Match(
                claim=claims[claim_id],
                score=v.score,
                same=v.same,
                reasons=v.reasons,
                conflicts=v.conflicts,
            )
            for claim_id, v in ranked
            if claim_id in claims
        ]
        for ranked in kept
    ]


def texts_verdicts(
    *,
    texts: Sequence[tuple[str, str]],
    exclude_article_id: int | None,
    reviewed_only: bool = False,
    candidates: int = CANDIDATES,
) -> list[list[tuple[int, Verdict]]]:
    """The judged candidates of each text, best first, as (claim id, verdict)."""
    judged = texts_judged(
        [reading_of(text, speaker) for text, speaker in texts],
        exclude_article_id=exclude_article_id,
        reviewed_only=reviewed_only,
        candidates=candidates,
    )
    return [[(reading.id, verdict) for reading, verdict in pool] for pool in judged]


def claims_compared(claim: Claim, other: Claim, *, weighted: bool = True) -> Verdict:
    """The matcher's verdict on two stored claims, their words weighted by how rare they
    are in the newsroom's claims as the stored matches are; unweighted it reads nothing
    from the database, and its conflicts are the same either way."""
    return matching.compare(
        reading_of(claim.text, claim.attributed_to),
        reading_of(other.text, other.attributed_to),
        term_stats().idf if weighted else matching.flat_idf,
    )


def reading_of(text: str, speaker: str) -> Reading:
    """A text to match, read; without a speaker, the one its own words name ("…, the army
    said"), so a claim's speaker is compared even where nobody filled it in."""
    return matching.read(text, speaker or sentence_attribution(text))


@dataclass(frozen=True)
class Judged:
    id: int
    reading: Reading


def texts_judged(
    readings: Sequence[Reading],
    *,
    exclude_article_id: int | None,
    reviewed_only: bool = False,
    candidates: int = CANDIDATES,
) -> list[list[tuple[Judged, Verdict]]]:
    """Each reading's candidates, read and judged against it, best first; those too far
    to be even related are left out."""
    stats = term_stats()
    found = _candidates(
        list(readings),
        stats=stats,
        exclude_article_id=exclude_article_id,
        reviewed_only=reviewed_only,
        limit=candidates,
    )
    idf = lru_cache(maxsize=None)(stats.idf)
    results = []
    for reading, pool in zip(readings, found, strict=True):
        judged = []
        for candidate in pool:
            other = matching.read(candidate.text, candidate.speaker)
            verdict = matching.compare(reading, other, idf)
            if verdict.score >= matching.RELATED_AT:
                judged.append((Judged(candidate.id, other), verdict))
        judged.sort(key=lambda pair: (-rank_key(pair[1]), pair[0].id))
        results.append(judged)
    return results


def rank_key(verdict: Verdict) -> float:
    # A pair with a fact between them ranks under one without, at the same closeness:
    # the claim that matches the numbers is the one a reviewer is looking for.
    return verdict.score * (0.8 if verdict.conflicts else 1.0)


# --- how rare each word is ----------------------------------------------------------------


@dataclass(frozen=True)
class TermStats:
    """Document frequencies of the commonest stems, and the claim count they are out of;
    a stem not listed is rarer than the rarest listed."""

    total: int
    frequencies: dict[str, float]
    floor: float

    def share(self, term: str) -> float:
        return self.frequencies.get(term, self.floor)

    def idf(self, term: str) -> float:
        if term.startswith("#"):
            # Numbers: as telling as a rare word, whatever their count.
            return math.log(1 + 1 / max(self.floor, 1e-6))
        return math.log(1 + 1 / max(self.share(term), 1e-6))


def term_stats() -> TermStats:
    key = f"related:term-stats:{connection.vendor}:{connection.settings_dict['NAME']}"
    stats = cache.get(key)
    if stats is None:
        stats = _pg_term_stats() if connection.vendor == "postgresql" else _sqlite_term_stats()
        if stats.total >= CACHE_STATS_FROM:
            cache.set(key, stats, STATS_TTL)
    return stats


def _pg_term_stats() -> TermStats:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'claims_claim'")
        row = cursor.fetchone()
        total = max(int(row[0]) if row else 0, 0)
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs "
            "FROM pg_stats WHERE tablename = 'claims_claim' AND attname = 'search_terms'"
        )
        row = cursor.fetchone()
    if not row or not row[0]:
        return TermStats(total=total, frequencies={}, floor=0.001)
    elems, freqs = row
    # The last three numbers are the minimum, the maximum and the share of empty values.
    listed = dict(zip(elems, freqs[: len(elems)], strict=True))
    floor = min(listed.values()) / 2 if listed else 0.001
    return TermStats(total=total, frequencies=listed, floor=floor)


def _sqlite_term_stats() -> TermStats:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        total = cursor.fetchone()[0]
        if not total:
            return TermStats(total=0, frequencies={}, floor=1.0)
        cursor.execute("SELECT term, doc FROM related_claim_vocab ORDER BY doc DESC LIMIT 2000")
        rows = cursor.fetchall()
    frequencies = {matching.stem(term): doc / total for term, doc in rows}
    floor = min(frequencies.values(), default=1 / total) / 2
    return TermStats(total=total, frequencies=frequencies, floor=max(floor, 1 / total / 2))


# --- candidates from the database ---------------------------------------------------------


def search_words(reading: Reading, stats: TermStats) -> list[tuple[str, ...]]:
    """What to ask the full-text index for: groups of words (as written), a candidate
    having every word of at least one group. The rarest words first (numbers count as
    rare), until together they would reach more rows than a search should read; a number
    is asked for in digits and in words ("5" or "five"), as claims write either."""
    words: dict[str, str] = {}
    for word in reading.folded.split():
        if not _WORD.match(word) or word in matching.STOPWORDS or word in matching.NEGATORS:
            continue
        if word[0].isdigit():
            words.setdefault(f"#{word}", word)
        elif len(word) > 1:
            words.setdefault(matching.stem(word), word)
    ranked = sorted(words.items(), key=lambda item: (stats.share(item[0]), item[1]))
    chosen: list[tuple[str, ...]] = []
    reach = 0.0
    for term, word in ranked[:MOST_WORDS]:
        rows = stats.share(term) * stats.total
        if chosen and reach + rows > ROW_BUDGET:
            break
        chosen.extend((spelling,) for spelling in _spellings(word))
        reach += rows
    return chosen


def _spellings(word: str) -> list[str]:
    value = matching.UNITS.get(word, matching.TENS.get(word))
    if value is not None:
        return [word, str(value)]
    if word.isdigit() and int(word) in _NUMBER_WORDS:
        return [word, _NUMBER_WORDS[int(word)]]
    return [word]


_NUMBER_WORDS = {
    value: word for word, value in {**matching.UNITS, **matching.TENS}.items() if word != "dozen"
}


def _candidates(
    readings: list[Reading],
    *,
    stats: TermStats,
    exclude_article_id: int | None,
    reviewed_only: bool,
    limit: int,
) -> list[list[_Candidate]]:
    queries = [search_words(reading, stats) for reading in readings]
    if connection.vendor == "postgresql":
        return _pg_candidates(
            readings,
            queries,
            exclude_article_id=exclude_article_id,
            reviewed_only=reviewed_only,
            limit=limit,
        )
    return _sqlite_candidates(
        queries, exclude_article_id=exclude_article_id, reviewed_only=reviewed_only, limit=limit
    )


def _pg_candidates(
    readings: list[Reading],
    queries: list[list[tuple[str, ...]]],
    *,
    exclude_article_id: int | None,
    reviewed_only: bool,
    limit: int,
) -> list[list[_Candidate]]:
    # One round trip for every text: each row of the unnested array is searched on its own
    # (LATERAL): at most SCANNED rows that share its rarer words, the SHORTLIST of them with
    # the most weight in common (ts_rank), then ranked again with the characters' likeness
    # added (pg_trgm's similarity: near-verbatim copies first), the best `limit` kept.
    filters = "c.article_id <> %(article)s"
    if reviewed_only:
        filters += " AND c.status <> %(unverified)s"
    sql = f"""
        WITH q AS MATERIALIZED (
            -- Parsed once per text, not once per row it is compared with.
            SELECT n, to_tsquery('english'::regconfig, terms) AS query, body
            FROM unnest(%(queries)s::text[], %(texts)s::text[]) WITH ORDINALITY AS t(terms, body, n)
            WHERE terms <> ''
        )
        SELECT q.n, c.id, c.text, c.attributed_to
        FROM q
        CROSS JOIN LATERAL (
            SELECT ranked.id FROM (
                SELECT hit.id, hit.text, hit.weight FROM (
                    SELECT c.id, c.text, ts_rank(c.search_terms, q.query) AS weight
                    FROM claims_claim c
                    WHERE c.search_terms @@ q.query AND {filters}
                    LIMIT %(scanned)s
                ) AS hit
                ORDER BY hit.weight DESC, hit.id
                LIMIT %(shortlist)s
            ) AS ranked
            ORDER BY ranked.weight + similarity(ranked.text, q.body) DESC, ranked.id
            LIMIT %(limit)s
        ) AS best
        JOIN claims_claim c ON c.id = best.id
    """
    params = {
        "queries": [
            " | ".join("(" + " & ".join(group) + ")" for group in groups) for groups in queries
        ],
        "texts": [reading.text for reading in readings],
        "article": exclude_article_id if exclude_article_id is not None else -1,
        "unverified": ClaimStatus.UNVERIFIED,
        # Many texts at once (an article's sentences) read fewer rows each: the page wants
        # the best match of each within a second, not a ranking.
        "scanned": SCANNED if len(readings) == 1 else SCANNED // 4,
        "shortlist": SHORTLIST if len(readings) == 1 else max(SHORTLIST // 4, limit),
        "limit": limit,
    }
    found: list[list[_Candidate]] = [[] for _ in readings]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for n, claim_id, text, speaker in cursor.fetchall():
            found[n - 1].append(_Candidate(claim_id, text, speaker))
    return found


# SQLite joins at most 500 SELECTs in one compound statement.
SQLITE_TEXTS_PER_STATEMENT = 400


def _sqlite_candidates(
    queries: list[list[tuple[str, ...]]],
    *,
    exclude_article_id: int | None,
    reviewed_only: bool,
    limit: int,
) -> list[list[_Candidate]]:
    # One statement for many texts (an article's sentences): a SELECT per text, joined by
    # UNION ALL, each searching the FTS5 table by BM25 and keeping its best `limit`.
    filters = "c.article_id <> %s"
    extra: list[object] = [exclude_article_id if exclude_article_id is not None else -1]
    if reviewed_only:
        filters += " AND c.status <> %s"
        extra.append(ClaimStatus.UNVERIFIED)
    scanned = SCANNED if len(queries) == 1 else SCANNED // 4
    found: list[list[_Candidate]] = [[] for _ in queries]
    asked = [(n, groups) for n, groups in enumerate(queries) if groups]
    for start in range(0, len(asked), SQLITE_TEXTS_PER_STATEMENT):
        selects, params = [], []
        for n, groups in asked[start : start + SQLITE_TEXTS_PER_STATEMENT]:
            match = " OR ".join(
                "(" + " AND ".join(f'"{w}"' for w in group) + ")" for group in groups
            )
            selects.append(
                f"""SELECT * FROM (
                    SELECT %s AS n, c.id, c.text, c.attributed_to FROM (
                        SELECT rowid, bm25(related_claim_fts) AS rank FROM related_claim_fts
                        WHERE related_claim_fts MATCH %s ORDER BY rank LIMIT %s
                    ) AS f
                    JOIN claims_claim c ON c.id = f.rowid
                    WHERE {filters}
                    ORDER BY f.rank, c.id
                    LIMIT %s
                )"""
            )
            params += [n, match, scanned, *extra, limit]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            for n, claim_id, text, speaker in cursor.fetchall():
                found[n].append(_Candidate(claim_id, text, speaker))
    return found
