"""Related claims: how well and how fast the matcher finds the same claim in other articles.

    DATABASE_URL=postgres://…/scratch python bench/related_claims.py        # quality, PostgreSQL
    DATABASE_URL=sqlite:////tmp/related.sqlite3 python bench/related_claims.py  # quality, SQLite
    DATABASE_URL=postgres://…/newsdesk_bench python bench/related_claims.py --into-existing --speed

Loads into the database (migrated, and empty unless --into-existing): every `a` claim of the
labelled pairs (bench/data/related_pairs.jsonl, or --pairs FILE) in an article of its own,
and as distractors the 14,231 verified claims of CheckThat! 2022 task 2A and the 7,976
ClaimBuster debate sentences (../shared/data, read at run time, never shipped). Then:

- finding: each "same" pair's `b` is searched among all of them (as a claim of another
  article); recall@1, recall@5 and MRR of its `a`;
- judging: every pair's `b` against its `a`: precision and recall of "same", and how often
  each kind of changed fact (number, date, speaker, negation) was wrongly called the same;
- CheckThat!: the train and dev tweets searched among the verified claims (recall@1, @5,
  MRR@5), comparable in kind with the lab's TF-IDF baseline (0.71, 0.88, 0.78 on its test);
- speed: median and 95th percentile of one claim's matches, and of every sentence of a
  2,000-word article matched in one call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import django
from _common import ROOT, table

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.quotes import anchor_at  # noqa: E402
from claims.models import Claim  # noqa: E402
from related import matching, retrieval  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
PAIRS = ROOT / "bench" / "data" / "related_pairs.jsonl"
PER_ARTICLE = 50


def load_claims(items: list[tuple[str, str]], outlet: str, author) -> list[int]:
    """Store (text, speaker) items as claims, PER_ARTICLE to an article; return their ids."""
    ids: list[int] = []
    for start in range(0, len(items), PER_ARTICLE):
        chunk = items[start : start + PER_ARTICLE]
        body = "\n\n".join(text for text, _ in chunk)
        with transaction.atomic():
            article = Article.objects.create(
                title=f"{outlet} {start // PER_ARTICLE + 1}",
                outlet=outlet,
                body=body,
                created_by=author,
            )
            claims, at = [], 0
            for text, speaker in chunk:
                claims.append(
                    Claim(
                        article=article,
                        attributed_to=speaker[:300],
                        created_by=author,
                        **anchor_at(body, at, at + len(text)),
                    )
                )
                at += len(text) + 2
            ids.extend(c.pk for c in Claim.objects.bulk_create(claims))
    return ids


def clean(text: str) -> str:
    return " ".join(text.split())


def distractors() -> tuple[list[tuple[str, str]], dict[str, int]]:
    vclaims = [json.loads(line) for line in (DATA / "checkthat" / "vclaims.jsonl").open()]
    debate = json.loads((DATA / "claimbuster" / "train.json").read_text())
    texts = [(clean(v["text"]), "") for v in vclaims if v["text"].strip()]
    index = {v["id"]: i for i, v in enumerate(v for v in vclaims if v["text"].strip())}
    texts += [(clean(d["text"]), "") for d in debate if len(d["text"].split()) >= 5]
    return texts, index


def ranks(queries: list[tuple[str, str]], step: int = 1) -> list[list[int]]:
    # One text a call, as the claim page asks (a batch reads fewer rows per text).
    ranked: list[list[int]] = []
    for start in range(0, len(queries), step):
        judged = retrieval.texts_verdicts(
            texts=queries[start : start + step], exclude_article_id=None
        )
        ranked.extend([claim_id for claim_id, _ in pool] for pool in judged)
    return ranked


def finding(targets: list[int], ranked: list[list[int]]) -> dict[str, float]:
    at1 = at5 = mrr = 0.0
    for target, found in zip(targets, ranked, strict=True):
        if target in found[:5]:
            rank = found.index(target) + 1
            at1 += rank == 1
            at5 += 1
            mrr += 1 / rank
    n = len(targets)
    return {"recall@1": at1 / n, "recall@5": at5 / n, "MRR@5": mrr / n, "n": n}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--into-existing", action="store_true")
    parser.add_argument("--speed", action="store_true", help="Only the timings.")
    parser.add_argument("--no-checkthat", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="Print every misjudged pair.")
    args = parser.parse_args()

    if Claim.objects.exists() and not args.into_existing:
        sys.exit("The database has claims: use a scratch database, or --into-existing.")
    pairs = [json.loads(line) for line in args.pairs.open() if line.strip()]
    author, _ = get_user_model().objects.get_or_create(username="bench-related")

    began = time.perf_counter()
    a_texts = sorted({(p["a"]["text"], p["a"]["speaker"]) for p in pairs})
    a_ids = dict(zip(a_texts, load_claims(a_texts, "Pairs", author), strict=True))
    noise, vclaim_index = distractors()
    noise_ids = load_claims(noise, "Distractors", author)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a live table: statistics, visibility and hint bits set.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
    cache.clear()
    total = Claim.objects.count()
    print(
        f"Loaded {len(a_texts)} pair claims and {len(noise_ids):,} distractors in "
        f"{time.perf_counter() - began:.0f} s; {total:,} claims in the database "
        f"({connection.vendor}).\n"
    )

    if not args.speed:
        same = [p for p in pairs if p["label"] == "same"]
        targets = [a_ids[p["a"]["text"], p["a"]["speaker"]] for p in same]
        ranked = ranks([(p["b"]["text"], p["b"]["speaker"]) for p in same])
        print("Finding the same claim (labelled pairs):")
        print(json.dumps({k: round(v, 3) for k, v in finding(targets, ranked).items()}))
        by_difficulty = defaultdict(list)
        for p, target, found in zip(same, targets, ranked, strict=True):
            overlap = len(set(p["a"]["text"].lower().split()) & set(p["b"]["text"].lower().split()))
            band = overlap / len(set(p["a"]["text"].lower().split()))
            by_difficulty[
                "near copy" if band > 0.7 else "moderate" if band > 0.4 else "heavy"
            ].append((target, found))
        for band, items in sorted(by_difficulty.items()):
            t, r = zip(*items, strict=True)
            print(
                f"  {band}: "
                + json.dumps({k: round(v, 3) for k, v in finding(list(t), list(r)).items()})
            )

        stats = retrieval.term_stats()
        called = Counter()
        kinds = Counter()
        misses = []
        for p in pairs:
            v = matching.compare(
                retrieval.reading_of(p["b"]["text"], p["b"]["speaker"]),
                matching.read(p["a"]["text"], p["a"]["speaker"]),
                stats.idf,
            )
            kinds[p["kind"]] += 1
            called[p["kind"]] += v.same
            if v.same != (p["label"] == "same"):
                misses.append((p["id"], p["kind"], v.score, v.reasons[:2]))
        true_same = called["reworded"]
        all_same = sum(called.values())
        print(
            "\nJudging each pair (threshold "
            f"{matching.SAME_AT}): precision of 'same' {true_same / max(all_same, 1):.3f}, "
            f"recall {true_same / kinds['reworded']:.3f}"
        )
        print(
            table(
                [(k, kinds[k], called[k], f"{called[k] / kinds[k]:.2f}") for k in sorted(kinds)],
                ("kind", "pairs", "called same", "share"),
            )
        )
        if args.verbose:
            for miss in misses:
                print("  miss", *miss)

        if not args.no_checkthat:
            qrels = [
                line.split("\t")
                for name in ("qrels-train.tsv", "qrels-dev.tsv")
                for line in (DATA / "checkthat" / name).read_text().splitlines()
                if line.strip()
            ]
            tweets = dict(
                line.split("\t", 1)
                for line in (DATA / "checkthat" / "queries-train-dev.tsv").read_text().splitlines()
                if "\t" in line
            )
            rows = [
                (tweets[q], noise_ids[vclaim_index[v]])
                for q, _, v, _ in qrels
                if q in tweets and v in vclaim_index
            ]
            ranked = ranks([(clean(text), "") for text, _ in rows])
            print("\nCheckThat! 2022 2A train+dev, tweets -> verified claims:")
            print(
                json.dumps(
                    {k: round(v, 3) for k, v in finding([t for _, t in rows], ranked).items()}
                )
            )

    # Speed: one claim at a time, as the claim page asks.
    queries = [(p["b"]["text"], p["b"]["speaker"]) for p in pairs][:200]
    times = []
    for text, speaker in queries:
        began = time.perf_counter()
        retrieval.texts_matches(texts=[(text, speaker)], exclude_article_id=None, limit=5)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    print(
        f"\nOne claim's matches ({len(times)} claims, {total:,} in the database): median "
        f"{statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, "
        f"max {times[-1]:.1f} ms"
    )
    # A 2,000-word article: its sentences, matched in one call as the article page does.
    sentences = [text for text, _ in queries]
    article, words = [], 0
    for sentence in sentences:
        article.append((sentence, ""))
        words += len(sentence.split())
        if words >= 2000:
            break
    for reviewed_only, limit in ((False, 3), (True, 1)):
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            retrieval.texts_matches(
                texts=article, exclude_article_id=None, reviewed_only=reviewed_only, limit=limit
            )
            runs.append((time.perf_counter() - began) * 1000)
        print(
            f"A {words:,}-word article ({len(article)} sentences) matched in one call "
            f"(reviewed_only={reviewed_only}, limit={limit}): median "
            f"{statistics.median(runs):.0f} ms of 5 runs"
        )


if __name__ == "__main__":
    main()
