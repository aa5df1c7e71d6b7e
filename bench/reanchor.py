"""Following claims through article edits, on text we did not write: prints figures.

1. Safety and recall on real sentences (ClaimBuster's debate sentences, ../shared/data):
   articles of 20-60 sentences, claims on whole sentences and on runs of words, random
   edits (sentences inserted, deleted, replaced, moved; words replaced, inserted, deleted;
   paragraphs moved). Each character of the edited text is traced to where it came from, and
   the bench counts claims that landed on words outside their own (must be 0), and claims
   whose words survived intact but were not found (must be 0).
2. Speed on the largest article the app accepts (2 MB) with 25,000 claims, for edits from
   one word to every sentence.
3. With --service (PostgreSQL, DATABASE_URL): the whole save, article_body_update, on that
   article and its 25,000 claims in the database, history rows and all. It leaves them
   there (history is append-only): use a scratch database.

    .venv/bin/python bench/reanchor.py [--articles 300] [--seed 1]
    DATABASE_URL=postgres://… .venv/bin/python bench/reanchor.py --service
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles.anchoring import TextEdit

VERBOSE = "-v" in sys.argv
DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/claimbuster/train.json"
WORD = re.compile(r"\S+")


def _sentence(text, origin):
    """A sentence as pieces (text, old offset or None), words and single spaces."""
    pieces = []
    for i, match in enumerate(WORD.finditer(text)):
        if i:
            pieces.append([" ", origin])
        pieces.append([match.group(), origin])
    return pieces


def render(doc):
    text, origins = [], []
    for p, paragraph in enumerate(doc):
        if p:
            text.append("\n\n")
            origins.extend([None, None])
        for s, sentence in enumerate(paragraph):
            if s:
                text.append(" ")
                origins.append(None)
            for piece, origin in sentence:
                text.append(piece)
                origins.extend(
                    [None] * len(piece) if origin is None else range(origin, origin + len(piece))
                )
    return "".join(text), origins


def build(rng, sentences):
    doc = []
    picked = rng.sample(sentences, rng.randint(20, 60))
    while picked:
        n = rng.randint(1, 4)
        doc.append([_sentence(s, None) for s in picked[:n]])
        picked = picked[n:]
    at = 0
    for p, paragraph in enumerate(doc):
        at += 2 if p else 0
        for s, sentence in enumerate(paragraph):
            at += 1 if s else 0
            for piece in sentence:
                piece[1] = at
                at += len(piece[0])
    return doc


def claims_of(rng, doc, old):
    spans = set()
    sentences = [s for paragraph in doc for s in paragraph]
    for sentence in rng.sample(sentences, min(len(sentences), 12)):
        words = [i for i, (piece, _) in enumerate(sentence) if piece != " "]
        if rng.random() < 0.5:
            a, b = words[0], words[-1]
        else:
            a = rng.choice(words)
            b = rng.choice([w for w in words if w >= a][:8])
        start = sentence[a][1]
        spans.add((start, sentence[b][1] + len(sentence[b][0])))
    return sorted(spans)


def edit(rng, doc, fresh):
    kind = rng.choice(
        [
            "insert_sentence",
            "delete_sentence",
            "replace_sentence",
            "move_sentence",
            "replace_word",
            "insert_word",
            "delete_word",
            "move_paragraph",
        ]
    )
    places = [(p, s) for p, paragraph in enumerate(doc) for s in range(len(paragraph))]
    p, s = rng.choice(places)
    paragraph = doc[p]
    if kind == "insert_sentence":
        paragraph.insert(rng.randint(0, len(paragraph)), _sentence(rng.choice(fresh), None))
    elif kind == "delete_sentence" and len(places) > 1:
        del paragraph[s]
    elif kind == "replace_sentence":
        paragraph[s] = _sentence(rng.choice(fresh), None)
    elif kind == "move_sentence":
        moved = paragraph.pop(s)
        target = rng.choice(doc)
        target.insert(rng.randint(0, len(target)), moved)
    elif kind == "move_paragraph" and len(doc) > 1:
        doc.insert(rng.randint(0, len(doc) - 1), doc.pop(p))
    else:
        sentence = paragraph[s]
        words = [i for i, (piece, _) in enumerate(sentence) if piece != " "]
        w = rng.choice(words)
        new_word = [rng.choice(rng.choice(fresh).split()), None]
        if kind == "replace_word":
            sentence[w] = new_word
        elif kind == "insert_word":
            sentence[w:w] = [new_word, [" ", None]]
        elif kind == "delete_word" and len(words) > 1:
            at = w if w + 1 < len(sentence) else w - 1
            del sentence[at : at + 2]
    doc[:] = [paragraph for paragraph in doc if paragraph]


def report(what, found, quote, old, new):
    if VERBOSE:
        print(
            what, found, repr(quote), repr(found.text(new)), "\nOLD", repr(old), "\nNEW", repr(new)
        )


def quality(n_articles, seed):
    rng = random.Random(seed)
    sentences = [row["text"].strip() for row in json.loads(DATA.read_text())]
    sentences = [s for s in sentences if 3 <= len(s.split()) <= 40]
    rng.shuffle(sentences)
    base, fresh = sentences[: len(sentences) // 2], sentences[len(sentences) // 2 :]
    counts = dict.fromkeys(["claims", "kept", "moved", "changed", "orphaned"], 0)
    outside = intact_lost = 0
    for _ in range(n_articles):
        doc = build(rng, base)
        old, _ = render(doc)
        spans = claims_of(rng, doc, old)
        for _ in range(rng.randint(1, 6)):
            edit(rng, doc, fresh)
        new, origins = render(doc)
        if not new:
            continue
        text_edit = TextEdit(old, new)
        for start, end in spans:
            quote = old[start:end]
            if not re.search(r"\w", quote):
                continue
            found = text_edit.follow(
                start=start,
                end=end,
                text=quote,
                prefix=old[max(0, start - 32) : start],
                suffix=old[end : end + 32],
            )
            counts["claims"] += 1
            counts[found.outcome] += 1
            came = origins[found.start : found.end]
            if found.outcome == "changed" and any(
                at is not None and not start <= at < end for at in came
            ):
                outside += 1
                report("OUTSIDE", found, quote, old, new)
            first = [i for i, at in enumerate(origins) if at == start]
            intact = first and origins[first[0] : first[0] + len(quote)] == list(range(start, end))
            if intact and (found.outcome not in ("kept", "moved") or found.text(new) != quote):
                intact_lost += 1
                report("LOST", found, quote, old, new)
    print(f"{n_articles} articles of ClaimBuster sentences, seed {seed}: {counts}")
    print(f"  changed claims holding words from outside their own span: {outside}")
    print(f"  intact claims not found where their words are: {intact_lost}")


def speed(seed):
    rng = random.Random(seed)
    sentences = [row["text"].strip() for row in json.loads(DATA.read_text())]
    paragraphs, size = [], 0
    while size < 2_000_000:
        paragraph = " ".join(rng.sample(sentences, rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    old = "\n\n".join(paragraphs)[:2_000_000]
    # Claims as editors make them: whole sentences, and runs of 4 to 12 words in one.
    sentence_spans = [m.span() for m in re.finditer(r"[A-Z][^.?!\n]{20,}[.?!]", old)]
    spans = []
    for start, end in rng.choices(sentence_spans, k=25_000):
        if rng.random() < 0.5:
            spans.append((start, end))
            continue
        words = [m.span() for m in re.finditer(r"\S+", old[start:end])]
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randint(3, 11))
        spans.append((start + words[first][0], start + words[last][1]))
    cases = {
        "a line added at the top": "Editor's note: updated.\n\n" + old,
        "50 words changed": _replace_some(rng, old, 50),
        "paragraphs shuffled": "\n\n".join(rng.sample(paragraphs, len(paragraphs)))[: len(old)],
        "every sentence changed": old.replace(". ", "; "),
    }
    print(f"Speed: {len(old):,} characters, {len(spans):,} claims")
    for label, new in cases.items():
        began = time.perf_counter()
        text_edit = TextEdit(old, new)
        diffed = time.perf_counter()
        outcomes: dict[str, int] = {}
        for start, end in spans:
            found = text_edit.follow(
                start=start,
                end=end,
                text=old[start:end],
                prefix=old[max(0, start - 32) : start],
                suffix=old[end : end + 32],
            )
            outcomes[found.outcome] = outcomes.get(found.outcome, 0) + 1
        done = time.perf_counter()
        print(
            f"  {label:<24} diff {diffed - began:5.2f} s, follow {done - diffed:5.2f} s  {outcomes}"
        )


def service(seed):
    """article_body_update end to end: a line added at the top moves all 25,000 claims."""
    from _common import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from articles.models import Article
    from articles.services import article_body_update
    from claims.models import ANCHOR_CONTEXT, Claim
    from tests.factories import editor_factory

    rng = random.Random(seed)
    sentences = [row["text"].strip() for row in json.loads(DATA.read_text())]
    paragraphs, size = [], 0
    while size < 1_990_000:
        paragraph = " ".join(rng.sample(sentences, rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    body = "\n\n".join(paragraphs)
    spans = [m.span() for m in re.finditer(r"[A-Z][^.?!\n]{20,}[.?!]", body)]
    with transaction.atomic():
        editor = get_user_model().objects.filter(username="bench-editor").first()
        editor = editor or editor_factory(username="bench-editor")
        article = Article.objects.create(title="Re-anchoring bench", body=body)
        Claim.objects.bulk_create(
            (
                Claim(
                    article=article,
                    text=body[start:end],
                    start=start,
                    end=end,
                    prefix=body[max(0, start - ANCHOR_CONTEXT) : start],
                    suffix=body[end : end + ANCHOR_CONTEXT],
                    created_by=editor,
                )
                for start, end in rng.choices(spans, k=25_000)
            ),
            batch_size=2000,
        )
    for label, new in {
        "a line added at the top (all move)": "Editor's note: updated.\n\n" + body,
        "50 words changed": _replace_some(rng, "Editor's note: updated.\n\n" + body, 50),
    }.items():
        began = time.perf_counter()
        report = article_body_update(article=article, body=new, by=editor)
        print(f"  service, {label:<36} {time.perf_counter() - began:5.2f} s  {report.describe()}")


def _replace_some(rng, text, n):
    words = list(re.finditer(r"\b[a-z]{4,}\b", text))
    chosen = sorted(rng.sample(words, n), key=lambda m: m.start(), reverse=True)
    for match in chosen:
        text = text[: match.start()] + match.group().upper() + text[match.end() :]
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", action="store_true", help="print each failure")
    parser.add_argument("--service", action="store_true", help="time the whole save (PostgreSQL)")
    args = parser.parse_args()
    if args.service:
        service(args.seed)
    else:
        quality(args.articles, args.seed)
        speed(args.seed)
