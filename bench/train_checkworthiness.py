"""Train the check-worthiness model that suggestions/model.py runs.

    python bench/train_checkworthiness.py            # train; write suggestions/data/…json.gz
    python bench/train_checkworthiness.py --search   # the cross-validation behind SETTINGS

Needs scikit-learn, a training-time dependency only: pip install -c constraints.txt -e
'.[train]'. Deterministic: the same data and settings write the same weights.

The data: ClaimBuster's training split (../shared/data/claimbuster/train.json, 7,976
sentences from U.S. presidential debates, a quarter check-worthy; Arslan, Hassan, Li and
Tremayne, "A Benchmark Dataset of Check-worthy Factual Claims", ICWSM 2020, doi
10.5281/zenodo.3609356) and the project's labelled news articles 01-08
(bench/data/suggestions/). Articles 09 onwards are held out: never trained or tuned on.
ClaimBuster's test splits are never used. Only weights are shipped, never the sentences.

The settings were chosen by 5-fold stratified cross-validation on the ClaimBuster split
alone (--search; seed 0), except the weight of an article sentence, which was chosen by
leaving one article out at a time on articles 01-08. The score's calibration (Platt's
sigmoid) is fitted on those left-out article decisions: the app scores news, not debates.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")

CLAIMBUSTER = ROOT.parent / "shared" / "data" / "claimbuster" / "train.json"
SEED = 0
FOLDS = 5
# The named signals of suggestions.scorer.sentence_signals, in the order of the weights.
SIGNALS = (
    "number", "responsibility", "says", "according", "hedge", "names", "past", "when",
    "quoted", "question", "future", "speculation", "reporting",
)  # fmt: skip
# Sentences whose training scores the shipped file records, for tests to reproduce without
# scikit-learn. Written for the project (never ClaimBuster's sentences, which stay out of
# the package).
CHECKS = (
    "The first attack took place in the southern city of Nasiriyah.",
    "The Islamic Resistance in Iraq claimed responsibility for the attack.",
    "“We planted explosive devices through the South road,” the group said in a statement.",
    "A 4×4 vehicle was also damaged.",
    "At least nine soldiers were killed and 14 wounded, according to the army.",
    "Revenue fell 18.2% from a year earlier to 9.6 billion crowns.",
    "Will the convoys ever resume their route through the valley?",
    "The ministry will publish the full casualty figures next week.",
    "Newsdesk could not independently verify the 12 deaths reported by the army.",
    "The militia has vowed to continue its attacks on foreign convoys.",
    "There is something irresistible about falling asleep in one country.",
    "Three contractors were allegedly injured near the bridge on Sunday.",
    "Police arrested Maria Lenz and Tomas Berg in Vienna.",
    "Whitcombe has pleaded not guilty to all charges.",
    "The company expects restructuring costs of 700 million crowns.",
    "“This is a betrayal of the people who built this company,” he said.",
    "The council voted 6-3 to take an additional $4.2 million from reserves.",
    "It was not immediately clear how many people remained unaccounted for.",
    "Experts say people may simply walk less as they age.",
    "The Boeing 737 crashed shortly after take-off, killing 12 of the 150 people on board.",
)


@dataclass(frozen=True)
class Settings:
    words: tuple[int, int] = (1, 2)  # word n-gram lengths
    chars: tuple[int, int] = (2, 5)  # character n-gram lengths, within words
    sublinear_tf: bool = True  # 1 + log(count), not the count
    C: float = 30.0  # inverse regularisation strength, scikit-learn's name for it
    class_weight: str | None = "balanced"
    signals: bool = True  # the named signals as features
    article_weight: float = 30.0  # an article sentence counts this many debate sentences


# Chosen by --search (docs/performance.md has its table).
SETTINGS = Settings()
# The 10-line baseline the issue measured: TF-IDF words and characters, scikit-learn's
# defaults otherwise, debates only.
BASELINE = Settings(sublinear_tf=False, C=1.0, signals=False, article_weight=0.0)


def claimbuster(path: Path = CLAIMBUSTER) -> tuple[list[str], list[int]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def article_sentences(articles) -> tuple[list[str], list[int], list[int]]:
    """Gold sentences as the app scores them (a story's dateline cut off), labels, article."""
    from suggestions.signals import DATELINE, DATELINE_MARK

    texts, labels, groups = [], [], []
    for number, article in enumerate(articles):
        for start, end, worthy in article.sentences:
            if start == 0 or article.body[start - 1] == "\n":
                dateline = DATELINE.match(article.body, start, end)
                if dateline and dateline.end() < end and DATELINE_MARK.search(dateline.group()):
                    start = dateline.end()
            texts.append(article.body[start:end])
            labels.append(int(worthy))
            groups.append(number)
    return texts, labels, groups


def signal_rows(texts):
    """The named signals of each text, 0 or 1, as a sparse matrix in SIGNALS order."""
    import scipy.sparse as sp

    from suggestions.signals import sentence_signals

    rows, cols = [], []
    for row, text in enumerate(texts):
        found = sentence_signals(text)
        for col, name in enumerate(SIGNALS):
            if name in found:
                rows.append(row)
                cols.append(col)
    return sp.csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(texts), len(SIGNALS)))


def pipeline(settings: Settings):
    """Words, characters and signals side by side, then a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from suggestions.model import preprocess

    parts = [
        (
            "words",
            TfidfVectorizer(
                preprocessor=preprocess,
                ngram_range=settings.words,
                sublinear_tf=settings.sublinear_tf,
            ),
        ),
        (
            "chars",
            TfidfVectorizer(
                preprocessor=preprocess,
                analyzer="char_wb",
                ngram_range=settings.chars,
                sublinear_tf=settings.sublinear_tf,
            ),
        ),
    ]
    if settings.signals:
        parts.append(("signals", FunctionTransformer(signal_rows, accept_sparse=True)))
    model = LogisticRegression(
        C=settings.C,
        class_weight=settings.class_weight,
        solver="liblinear",
        max_iter=5000,
        random_state=SEED,
    )
    return Pipeline([("features", FeatureUnion(parts)), ("model", model)])


def fit(settings: Settings, texts: list[str], labels: list[int], weights: list[float]):
    return pipeline(settings).fit(texts, labels, model__sample_weight=weights)


def training_set(
    settings: Settings, debates: tuple[list[str], list[int]], news: tuple[list[str], list[int]]
) -> tuple[list[str], list[int], list[float]]:
    texts, labels = debates
    weights = [1.0] * len(texts)
    if settings.article_weight:
        texts, labels = texts + news[0], labels + news[1]
        weights += [settings.article_weight] * len(news[0])
    return texts, labels, weights


def claimbuster_folds(labels: list[int]):
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    return list(folds.split([[0]] * len(labels), labels))


def claimbuster_cv(settings: Settings, debates, news) -> list[float]:
    """Each debate sentence's decision by a model that did not see it (5 folds)."""
    texts, labels = debates
    decisions = [0.0] * len(texts)
    for train, test in claimbuster_folds(labels):
        fold = ([texts[i] for i in train], [labels[i] for i in train])
        trained = fit(settings, *training_set(settings, fold, news))
        for i, value in zip(test, trained.decision_function([texts[i] for i in test]), strict=True):
            decisions[i] = float(value)
    return decisions


def articles_left_out(settings: Settings, debates, news, groups: list[int]) -> list[float]:
    """Each article sentence's decision by a model trained without its article."""
    texts, labels = news
    decisions = [0.0] * len(texts)
    for group in sorted(set(groups)):
        kept = [i for i, g in enumerate(groups) if g != group]
        left = [i for i, g in enumerate(groups) if g == group]
        others = ([texts[i] for i in kept], [labels[i] for i in kept])
        trained = fit(settings, *training_set(settings, debates, others))
        for i, value in zip(left, trained.decision_function([texts[i] for i in left]), strict=True):
            decisions[i] = float(value)
    return decisions


def platt(decisions: list[float], labels: list[int]) -> tuple[float, float]:
    """Platt's sigmoid, score = 1 / (1 + exp(-(a·decision + b))), fitted by likelihood."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    fitted.fit([[d] for d in decisions], labels)
    return float(fitted.coef_[0][0]), float(fitted.intercept_[0])


def calibrated(decisions: list[float], a: float, b: float) -> list[float]:
    return [1.0 / (1.0 + math.exp(-(a * d + b))) for d in decisions]


def f1_at(scores: list[float], labels: list[int], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def block(vectorizer, coef, documents: int) -> dict:
    """One vectorizer's vocabulary, document frequencies and weights, in index order."""
    terms = [str(t) for t in vectorizer.get_feature_names_out()]
    df = [round((documents + 1) / math.exp(idf - 1.0) - 1.0) for idf in vectorizer.idf_]
    for idf, count in zip(vectorizer.idf_, df, strict=True):
        # The run-time model recomputes idf from df: make sure that is the same number.
        assert abs(math.log((documents + 1) / (count + 1)) + 1.0 - idf) < 1e-12
    analyzer = vectorizer.analyzer
    return {
        "analyzer": analyzer,
        "ngram_range": list(vectorizer.ngram_range),
        "sublinear_tf": vectorizer.sublinear_tf,
        "documents": documents,
        "terms": terms,
        "df": df,
        "coef": [float(c) for c in coef],
    }


def export(trained, documents: int, calibration: tuple[float, float], about: dict) -> dict:
    """The trained pipeline as data suggestions.model reads: no code, no pickle."""
    from suggestions.model import FORMAT

    union = trained.named_steps["features"]
    words, chars = union.transformer_list[0][1], union.transformer_list[1][1]
    coef = [float(c) for c in trained.named_steps["model"].coef_[0]]
    n_words, n_chars = len(words.vocabulary_), len(chars.vocabulary_)
    data = {
        "format": FORMAT,
        "about": about,
        "words": block(words, coef[:n_words], documents),
        "chars": block(chars, coef[n_words : n_words + n_chars], documents),
        "signals": dict(zip(SIGNALS, coef[n_words + n_chars :], strict=True)),
        "intercept": float(trained.named_steps["model"].intercept_[0]),
        "calibration": {"method": "platt", "a": calibration[0], "b": calibration[1]},
    }
    decisions = trained.decision_function(list(CHECKS))
    data["checks"] = [
        {"text": text, "decision": float(d), "score": calibrated([float(d)], *calibration)[0]}
        for text, d in zip(CHECKS, decisions, strict=True)
    ]
    return data


def write(data: dict, path: Path) -> None:
    """gzip'd JSON, byte for byte the same for the same data (no time stamp in the header)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def load_data():
    from bench.suggestions import TUNED_ON, load_all

    tuned = [a for a in load_all() if a.name[:2] in TUNED_ON]
    texts, labels, groups = article_sentences(tuned)
    return claimbuster(), (texts, labels), groups, tuned


def train(settings: Settings = SETTINGS) -> tuple[dict, object]:
    """The shipped model's data, and the scikit-learn pipeline it was exported from."""
    import django

    django.setup()
    debates, news, groups, tuned = load_data()
    left_out = articles_left_out(settings, debates, news, groups)
    calibration = platt(left_out, news[1])
    texts, labels, weights = training_set(settings, debates, news)
    trained = fit(settings, texts, labels, weights)
    about = {
        "trained_on": {
            "claimbuster_train": len(debates[0]),
            "claimbuster_check_worthy": sum(debates[1]),
            "articles": [a.name for a in tuned],
            "article_sentences": len(news[0]),
        },
        "settings": asdict(settings),
        "seed": SEED,
        "source": "Arslan, Hassan, Li and Tremayne, A Benchmark Dataset of Check-worthy "
        "Factual Claims, ICWSM 2020 (doi 10.5281/zenodo.3609356); bench/data/suggestions",
    }
    return export(trained, len(texts), calibration, about), trained


def search() -> None:
    """SETTINGS against each of its neighbours, one setting changed at a time.

    C, the n-gram lengths, tf, the class weights and the signals by F1 on ClaimBuster's 5
    folds (articles 01-08 in every fold's training, as in the shipped model); the weight of
    an article sentence by F1 on articles 01-08, each left out of training in turn.
    """
    import django

    django.setup()
    debates, news, groups, _ = load_data()
    changes = [
        {},
        {"C": SETTINGS.C / 3},
        {"C": SETTINGS.C * 3},
        {"words": (1, 1)},
        {"words": (1, 3)},
        {"chars": (2, 4)},
        {"chars": (1, 6)},
        {"sublinear_tf": not SETTINGS.sublinear_tf},
        {"class_weight": None if SETTINGS.class_weight else "balanced"},
        {"signals": not SETTINGS.signals},
    ]
    print(f"SETTINGS: {SETTINGS}")
    print("| change | ClaimBuster 5-fold CV P / R / F1 at the decision 0 | seconds |")
    print("| --- | --- | --- |")
    for change in changes:
        began = time.perf_counter()
        decisions = claimbuster_cv(replace(SETTINGS, **change), debates, news)
        p, r, f1 = f1_at(decisions, debates[1], 0.0)
        seconds = time.perf_counter() - began
        print(f"| {change or 'none'} | {p:.3f} / {r:.3f} / {f1:.3f} | {seconds:.0f} |")
    print("| article_weight | articles 01-08 left out P / R / F1 at the decision 0 |")
    print("| --- | --- |")
    for weight in (
        SETTINGS.article_weight / 3,
        SETTINGS.article_weight,
        SETTINGS.article_weight * 3,
    ):
        settings = replace(SETTINGS, article_weight=weight)
        decisions = articles_left_out(settings, debates, news, groups)
        p, r, f1 = f1_at(decisions, news[1], 0.0)
        print(f"| {weight:g} | {p:.3f} / {r:.3f} / {f1:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--search", action="store_true", help="cross-validate the settings")
    parser.add_argument("--out", type=Path, help="where to write (default: the shipped file)")
    args = parser.parse_args()
    if args.search:
        search()
        return
    from suggestions.model import MODEL_FILE

    began = time.perf_counter()
    data, _ = train()
    write(data, args.out or MODEL_FILE)
    size = (args.out or MODEL_FILE).stat().st_size
    print(
        f"wrote {args.out or MODEL_FILE}: {len(data['words']['terms']):,} word n-grams, "
        f"{len(data['chars']['terms']):,} char n-grams, {size / 1e6:.2f} MB "
        f"in {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
