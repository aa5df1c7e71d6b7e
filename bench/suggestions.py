"""How good and how fast the claim suggestions are.

    python bench/suggestions.py                   # precision, recall, F1 over the evaluation set
    python bench/suggestions.py --errors          # ...and every sentence it gets wrong
    python bench/suggestions.py --sweep           # ...at thresholds from 0.2 to 0.8
    python bench/suggestions.py --speed           # seconds for a 100,000-word text, one core
    python bench/suggestions.py --compare         # the rules, a baseline and the model, side
                                                  # by side (needs the `train` extra)

The evaluation set is bench/data/suggestions/*.txt (see GUIDELINE.md there): articles
written for this project, one sentence per line, each labelled check-worthy (+) or not
(-). The whole pipeline is measured, segmenter included: a gold sentence counts as
suggested when a suggestion at or above the threshold covers most of it.

--compare measures, in one run, the rule-based scorer the model replaced (bench/_rules_v1.py),
a plain TF-IDF logistic regression trained on debates only, and the shipped model, on
ClaimBuster's training split by 5-fold cross-validation (ClaimBuster's test splits are never
used), on articles 01-08 and on the held-out articles 09 onwards, with the shipped model's
reliability table.
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
# Articles 01-08 set the old rules' weights and now train the model; 09 onwards, written
# afterwards by someone who had not seen the scorer, are only ever measured (and --errors
# does not list them).
TUNED_ON = ("01", "02", "03", "04", "05", "06", "07", "08")


@dataclass
class GoldArticle:
    name: str
    meta: dict[str, str]
    body: str
    sentences: list[tuple[int, int, bool]] = field(default_factory=list)


def parse(
    path: Path, *, attributed: bool = False
) -> tuple[dict[str, str], str, list[tuple[int, int, bool, str | None]]]:
    """One labelled file: its metadata, the body rebuilt as the guideline says (a paragraph's
    sentences joined by one space, paragraphs by a blank line) and each sentence as (start,
    end, check-worthy, attribution). The attribution set's files (bench/data/attribution,
    bench/data/heldout) follow each `+ ` line with a `=` line, its gold attribution; with
    `attributed`, every `+ ` line must have one."""
    head, _, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    body = ""
    sentences: list[tuple[int, int, bool, str | None]] = []

    def unattributed() -> bool:
        return attributed and bool(sentences) and sentences[-1][2] and sentences[-1][3] is None

    for paragraph in rest.strip().split("\n\n"):
        if body:
            body += "\n\n"
        first = True
        for line in paragraph.strip().splitlines():
            if line.startswith("="):
                if not sentences or not sentences[-1][2] or sentences[-1][3] is not None:
                    raise ValueError(f"{path.name}: a '=' line must follow a '+ ' line: {line!r}")
                sentences[-1] = (*sentences[-1][:3], line[1:].strip())
                continue
            if unattributed():
                raise ValueError(f"{path.name}: a '+ ' line needs a '=' line after it")
            label, text = line[:2], line[2:]
            if label not in ("+ ", "- "):
                raise ValueError(f"{path.name}: a line must start with '+ ', '- ' or '=': {line!r}")
            if not first:
                body += " "
            first = False
            sentences.append((len(body), len(body) + len(text), label == "+ ", None))
            body += text
    if unattributed():
        raise ValueError(f"{path.name}: a '+ ' line needs a '=' line after it")
    return meta, body, sentences


def load(path: Path) -> GoldArticle:
    """Parse one evaluation file (`parse`), its sentences labelled check-worthy or not."""
    meta, body, sentences = parse(path)
    return GoldArticle(path.stem, meta, body, [(a, b, worthy) for a, b, worthy, _ in sentences])


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


def evaluate(articles: list[GoldArticle], *, threshold: float | None = None, scorer=None) -> Score:
    """How well `scorer` (body -> scored sentences; by default the app's) finds the gold."""
    from suggestions.scorer import THRESHOLD, scored_sentences

    threshold = THRESHOLD if threshold is None else threshold
    score = Score()
    for article in articles:
        found = list((scorer or scored_sentences)(article.body))
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


def counted(scores: list[float], labels: list[int], threshold: float) -> Score:
    score = Score()
    for value, worthy in zip(scores, labels, strict=True):
        if value >= threshold:
            score.tp += worthy
            score.fp += not worthy
        else:
            score.fn += worthy
            score.tn += not worthy
    return score


def reliability(scores: list[float], labels: list[int]) -> list[tuple[int, float]]:
    """Per tenth of the score (0-0.1 … 0.9-1): how many sentences, what share check-worthy."""
    bins: list[list[int]] = [[] for _ in range(10)]
    for value, worthy in zip(scores, labels, strict=True):
        bins[min(int(value * 10), 9)].append(worthy)
    return [(len(b), sum(b) / len(b) if b else float("nan")) for b in bins]


def compare() -> None:
    """The old rules, the TF-IDF baseline and the shipped model, side by side."""
    from bench import _rules_v1 as rules
    from bench import train_checkworthiness as training
    from suggestions.model import checkworthiness_model
    from suggestions.scorer import THRESHOLD, Suggestion, scored_sentences
    from suggestions.signals import ruled_out

    began = time.perf_counter()
    model = checkworthiness_model()
    a, b = model.slope, model.offset
    debates, news, groups, _ = training.load_data()
    articles = load_all()
    tuned = [x for x in articles if x.name[:2] in TUNED_ON]
    held_out = [x for x in articles if x.name[:2] not in TUNED_ON]
    base = training.BASELINE
    rows: list[tuple[str, str, Score]] = []

    # ClaimBuster, 5 folds (the rules learn nothing: they are measured on every sentence).
    rule_scores = [rules.score_sentence(t)[0] for t in debates[0]]
    rows.append(("rules v1", "ClaimBuster 5-fold CV", counted(rule_scores, debates[1], 0.4)))
    base_cv = training.claimbuster_cv(base, debates, news)
    rows.append(("TF-IDF baseline", "ClaimBuster 5-fold CV", counted(base_cv, debates[1], 0.0)))

    def as_scored(texts: list[str], decisions: list[float]) -> list[float]:
        # As the app scores them: the rules that score a sentence 0 come first.
        scores = training.calibrated(decisions, a, b)
        return [0.0 if ruled_out(t) else s for t, s in zip(texts, scores, strict=True)]

    model_cv = as_scored(debates[0], training.claimbuster_cv(training.SETTINGS, debates, news))
    rows.append(("model", "ClaimBuster 5-fold CV", counted(model_cv, debates[1], THRESHOLD)))

    # The articles, segmenter included.
    def rules_scorer(body: str):
        return rules.scored_sentences(body)

    baseline = training.fit(base, *training.training_set(base, debates, news))

    def baseline_scorer(body: str):
        found = list(scored_sentences(body))
        probability = baseline.predict_proba([s.text for s in found])[:, 1]
        return [
            Suggestion(s.start, s.end, s.text, float(p), ())
            for s, p in zip(found, probability, strict=True)
        ]

    for name, chosen in (("articles 01-08", tuned), ("articles 09-11 (held out)", held_out)):
        rows.append(("rules v1", name, evaluate(chosen, threshold=0.4, scorer=rules_scorer)))
        rows.append(
            ("TF-IDF baseline", name, evaluate(chosen, threshold=0.5, scorer=baseline_scorer))
        )
        rows.append(("model", name, evaluate(chosen)))
        if chosen is tuned:
            left_out = as_scored(
                news[0], training.articles_left_out(training.SETTINGS, debates, news, groups)
            )
            rows.append(
                (
                    "model",
                    "articles 01-08, each left out of training",
                    counted(left_out, news[1], THRESHOLD),
                )
            )
    print(f"threshold: rules v1 0.4, baseline 0.5 (its probability), model {THRESHOLD}")
    print("| scorer | measured on | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- |")
    for scorer, where, score in rows:
        print(
            f"| {scorer} | {where} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} |"
        )

    print("\nThe model across thresholds (what chose THRESHOLD: articles 01-08 left out)")
    print("| threshold | ClaimBuster CV P / R / F1 | articles 01-08 left out P / R / F1 |")
    print("| --- | --- | --- |")
    for step in range(2, 7):
        t = step / 10
        debate, article = counted(model_cv, debates[1], t), counted(left_out, news[1], t)
        print(
            f"| {t:.1f} | {debate.precision:.3f} / {debate.recall:.3f} / {debate.f1:.3f} "
            f"| {article.precision:.3f} / {article.recall:.3f} / {article.f1:.3f} |"
        )
    best = max((counted(model_cv, debates[1], t / 100).f1, t / 100) for t in range(5, 95))
    print(f"ClaimBuster CV, the model's best F1 at any threshold: {best[0]:.3f} (at {best[1]:.2f})")

    held_scores, held_labels = [], []
    for article in held_out:
        found = list(scored_sentences(article.body))
        for start, end, worthy in article.sentences:
            best = max(found, key=lambda s: min(end, s.end) - max(start, s.start))
            held_scores.append(best.score)
            held_labels.append(int(worthy))
    tables = [
        ("ClaimBuster 5-fold CV", reliability(model_cv, debates[1])),
        ("articles 01-08, left out", reliability(left_out, news[1])),
        ("articles 09-11", reliability(held_scores, held_labels)),
    ]
    print("\nReliability of the model's score: sentences, and the share check-worthy")
    print("| score | " + " | ".join(name for name, _ in tables) + " |")
    print("| --- |" + " --- |" * len(tables))
    for tenth in range(10):
        cells = []
        for _, table in tables:
            n, share = table[tenth]
            cells.append(f"{n}, {share:.2f}" if n else "0")
        print(f"| {tenth / 10:.1f}-{(tenth + 1) / 10:.1f} | " + " | ".join(cells) + " |")
    print(f"\n({time.perf_counter() - began:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong sentence")
    parser.add_argument("--sweep", action="store_true", help="try thresholds 0.2 to 0.8")
    parser.add_argument("--speed", action="store_true", help="time a 100,000-word text")
    parser.add_argument(
        "--compare", action="store_true", help="the old rules, a baseline and the model"
    )
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
    if args.compare:
        compare()
    if args.speed:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
        words, seconds, sentences = speed()
        print(f"speed: {words:,} words, {sentences:,} sentences scored in {seconds:.2f} s")


if __name__ == "__main__":
    main()
