"""How good and how fast the claim suggestions are.

    python bench/suggestions.py                   # precision, recall, F1 over the evaluation set
    python bench/suggestions.py --errors          # ...and every sentence it gets wrong
    python bench/suggestions.py --sweep           # ...at thresholds from 0.2 to 0.8
    python bench/suggestions.py --speed           # seconds for a 100,000-word text, one core

The evaluation set is bench/data/suggestions/*.txt (see GUIDELINE.md there): articles
written for this project, one sentence per line, each labelled check-worthy (+) or not
(-). The whole pipeline is measured, segmenter included: a gold sentence counts as
suggested when a suggestion at or above the threshold covers most of it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "suggestions"
# Articles 01-08 were used to set the weights; 09 onwards, written afterwards by someone
# who had not seen the scorer, were only ever measured (and --errors does not list them).
TUNED_ON = ("01", "02", "03", "04", "05", "06", "07", "08")


@dataclass
class GoldArticle:
    name: str
    meta: dict[str, str]
    body: str
    sentences: list[tuple[int, int, bool]] = field(default_factory=list)


def load(path: Path) -> GoldArticle:
    """Parse one evaluation file; the body is the sentences joined as the guideline says."""
    head, _, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    article = GoldArticle(path.stem, meta, "")
    body = ""
    for paragraph in rest.strip().split("\n\n"):
        if body:
            body += "\n\n"
        for i, line in enumerate(paragraph.strip().splitlines()):
            label, text = line[:2], line[2:]
            if label not in ("+ ", "- "):
                raise ValueError(f"{path.name}: a line must start with '+ ' or '- ': {line!r}")
            if i:
                body += " "
            article.sentences.append((len(body), len(body) + len(text), label == "+ "))
            body += text
    article.body = body
    return article


def load_all(directory: Path = DATA) -> list[GoldArticle]:
    return [load(path) for path in sorted(directory.glob("*.txt"))]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[tuple[str, str, object]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def evaluate(articles: list[GoldArticle], *, threshold: float | None = None) -> Score:
    from suggestions.scorer import THRESHOLD, scored_sentences

    threshold = THRESHOLD if threshold is None else threshold
    score = Score()
    for article in articles:
        found = list(scored_sentences(article.body))
        for start, end, worthy in article.sentences:
            # The suggestion that covers most of this gold sentence stands for it.
            best, best_overlap = None, 0
            for s in found:
                overlap = min(end, s.end) - max(start, s.start)
                if overlap > best_overlap:
                    best, best_overlap = s, overlap
            suggested = (
                best is not None
                and best_overlap * 2 >= min(end - start, best.end - best.start)
                and best.score >= threshold
            )
            if suggested and worthy:
                score.tp += 1
            elif suggested:
                score.fp += 1
                score.errors.append(("FP", article.body[start:end], best))
            elif worthy:
                score.fn += 1
                score.errors.append(("FN", article.body[start:end], best))
            else:
                score.tn += 1
    return score


def speed(words: int = 100_000) -> tuple[int, float, int]:
    """Seconds to score every sentence of a text of `words` words, best of three."""
    from suggestions.scorer import scored_sentences

    corpus = "\n\n".join(a.body for a in load_all())
    text = corpus
    while len(text.split()) < words:
        text += "\n\n" + corpus
    text = " ".join(text.split(" ")[:words])
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        n = sum(1 for _ in scored_sentences(text))
        best = min(best, time.perf_counter() - began)
    return len(text.split()), best, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong sentence")
    parser.add_argument("--sweep", action="store_true", help="try thresholds 0.2 to 0.8")
    parser.add_argument("--speed", action="store_true", help="time a 100,000-word text")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
    import django

    django.setup()
    from suggestions.scorer import THRESHOLD

    articles = load_all()
    n = sum(len(a.sentences) for a in articles)
    worthy = sum(w for a in articles for *_, w in a.sentences)
    print(f"{len(articles)} articles, {n} sentences, {worthy} check-worthy")
    print(f"threshold {THRESHOLD}")
    tuned = [a for a in articles if a.name[:2] in TUNED_ON]
    held_out = [a for a in articles if a.name[:2] not in TUNED_ON]
    print(f"  all       {evaluate(articles)}")
    print(f"  tuned on  {evaluate(tuned)}")
    if held_out:
        print(f"  held out  {evaluate(held_out)}")
    if args.sweep:
        for step in range(2, 9):
            print(f"  at {step / 10:.1f}    {evaluate(articles, threshold=step / 10)}")
    if args.errors:
        for kind, sentence, best in evaluate(tuned).errors:
            detail = f"{best.score:.2f} {'; '.join(best.reasons)}" if best else "no sentence"
            print(f"\n{kind} {sentence}\n   {detail}")
    if args.speed:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
        words, seconds, sentences = speed()
        print(f"speed: {words:,} words, {sentences:,} sentences scored in {seconds:.2f} s")


if __name__ == "__main__":
    main()
