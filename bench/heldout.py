"""Suggestions on articles written after the tuning was done, by someone who had not seen
the scorer, the model or the attribution rules: the honest figures.

    python bench/heldout.py                  # bench/data/heldout/*.txt
    python bench/heldout.py --data DIR       # any directory in the same format

The files are in the attribution set's format (bench/data/attribution/GUIDELINE.md): each
sentence labelled check-worthy (+) or not (-), and each check-worthy one followed by its
gold attribution. Printed: precision, recall and F1 of the rules that shipped before the
model (bench/_rules_v1.py) and of the shipped model, at each one's threshold, and the
attribution accuracy, per article and overall.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")

import django  # noqa: E402

django.setup()

from bench import _rules_v1 as rules  # noqa: E402
from bench import attribution, suggestions  # noqa: E402

DATA = ROOT / "bench" / "data" / "heldout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    options = parser.parse_args()
    paths = sorted(options.data.glob("*.txt"))
    gold = [suggestions.load(path) for path in paths]
    spoken = [attribution.load(path) for path in paths]
    print(f"{len(paths)} articles from {options.data}")
    print(f"\n{'article':40} {'rules v1 F1':>12} {'model F1':>9} {'attribution':>12}")
    for one, said in zip(gold, spoken, strict=True):
        old = suggestions.evaluate([one], threshold=rules.THRESHOLD, scorer=rules.scored_sentences)
        new = suggestions.evaluate([one])
        said_right = attribution.evaluate(said)
        print(f"{one.name:40} {old.f1:12.3f} {new.f1:9.3f} {said_right.accuracy:12.3f}")
    print("\nAll articles together:")
    old = suggestions.evaluate(gold, threshold=rules.THRESHOLD, scorer=rules.scored_sentences)
    print(f"  rules v1 (threshold {rules.THRESHOLD}): {old}")
    new = suggestions.evaluate(gold)
    print(f"  model: {new}")
    print(f"  attribution: {attribution.evaluate_all(spoken)}")


if __name__ == "__main__":
    main()
