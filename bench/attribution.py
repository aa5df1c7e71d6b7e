"""How often the suggestions name the right speaker.

    python bench/attribution.py            # accuracy per article and overall
    python bench/attribution.py --errors   # ...and every wrong attribution (articles 01-10)

The set is bench/data/attribution/*.txt (see GUIDELINE.md there): news articles written
for this project, one sentence per line, each check-worthy sentence followed by its gold
attribution. The real pipeline runs over each article's body (segmenter, then
suggestions.attribution); a gold sentence takes the attribution of the segmenter's
sentence that covers most of it, as bench/suggestions.py matches them.

Articles 01-10 were used to write the rules; 11-14 are held out: they are measured and
reported apart, and --errors never lists them.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "attribution"
DEVELOPED_ON = tuple(f"{n:02d}" for n in range(1, 11))


@dataclass
class GoldArticle:
    name: str
    meta: dict[str, str]
    body: str
    # (start, end, gold) of every check-worthy sentence; gold is the line after "=".
    sentences: list[tuple[int, int, str]] = field(default_factory=list)


def load(path: Path) -> GoldArticle:
    """Parse one file (bench/suggestions.py's `parse`): its check-worthy sentences with
    their gold attributions."""
    from bench.suggestions import parse

    meta, body, sentences = parse(path, attributed=True)
    gold = [(a, b, who) for a, b, worthy, who in sentences if worthy and who is not None]
    return GoldArticle(path.stem, meta, body, gold)


def load_all(directory: Path = DATA) -> list[GoldArticle]:
    return [load(path) for path in sorted(directory.glob("*.txt"))]


QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‑": "-"}
)


def normal(text: str) -> str:
    """Casefolded, quotes, dashes and blank space unified, a leading "the " dropped."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text[4:] if text.startswith("the ") else text


def correct(predicted: str, gold: str) -> bool:
    """Right if it is one of the " | " alternatives; "; " speakers must all be named."""
    found = [normal(p) for p in predicted.split(";")] if predicted.strip() else []
    for alternative in gold.split(" | "):
        wanted = [normal(p) for p in alternative.split(";")] if alternative.strip() else []
        if found == wanted:
            return True
    return False


@dataclass
class Result:
    right: int = 0
    total: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # sentence, gold, got

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, other: Result) -> None:
        self.right += other.right
        self.total += other.total
        self.errors += other.errors

    def __str__(self) -> str:
        return f"{self.accuracy:.3f}  ({self.right}/{self.total})"


def evaluate(article: GoldArticle) -> Result:
    from suggestions.attribution import attributions
    from suggestions.segmenter import sentence_spans

    spans = sentence_spans(article.body)
    found = attributions(article.body, spans)
    result = Result()
    for start, end, gold in article.sentences:
        best, best_overlap = "", 0
        for (s_start, s_end), who in zip(spans, found, strict=True):
            overlap = min(end, s_end) - max(start, s_start)
            if overlap > best_overlap:
                best, best_overlap = who, overlap
        result.total += 1
        if correct(best, gold):
            result.right += 1
        else:
            result.errors.append((article.body[start:end], gold, best))
    return result


def evaluate_all(articles: list[GoldArticle]) -> Result:
    total = Result()
    for article in articles:
        total.add(evaluate(article))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list wrong attributions (01-10)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    articles = load_all()
    developed = [a for a in articles if a.name[:2] in DEVELOPED_ON]
    held_out = [a for a in articles if a.name[:2] not in DEVELOPED_ON]
    print(f"{len(articles)} articles, {sum(len(a.sentences) for a in articles)} attributions")
    for article in articles:
        mark = "" if article in developed else "  (held out)"
        print(f"  {article.name:<34} {evaluate(article)}{mark}")
    print(f"  developed on (01-10)               {evaluate_all(developed)}")
    if held_out:
        print(f"  held out (11-)                     {evaluate_all(held_out)}")
    print(f"  overall                            {evaluate_all(articles)}")
    if args.errors:
        for article in developed:
            for sentence, gold, got in evaluate(article).errors:
                print(f"\n{article.name[:2]} {sentence}")
                print(f"   gold: {gold or '(own voice)'}\n   got:  {got or '(own voice)'}")


if __name__ == "__main__":
    main()
