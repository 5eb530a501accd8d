#!/usr/bin/env python3
"""Whole-word units: the share of the units the research views show that
start and end where an independent segmenter (THULAC, not the jieba that
wenku uses) cuts the sentence.

    pip install thulac
    python3 benches/whole_units.py --site SITE [--words 坚持,推进,加强,发展,建设]

SITE is a built wenku site, e.g. the real corpus: `wenku init SITE`,
`wenku import ../shared/corpus --root SITE`, `wenku build --root SITE`.
For each word, the 后接 (next) and 前接 (before) tables and its collocates;
the keyness, new wording and clusters of one year (--year, against the
five before); and for the views over whole reports the comparison's
提法变化 on the built report pages. A unit counts as whole when, in most of the
places it occurs in the reports' text (40 of
them, spread evenly over the years), THULAC cuts the
sentence at both of its ends.
"""
import argparse, json, re, subprocess, sys
from pathlib import Path

import thulac

SEGMENTER = thulac.thulac(seg_only=True)
CLAUSE = re.compile(r"[^，。；：！？、,.;:!?\s（）()“”\"《》【】\[\]]+")


def texts(site):
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("\n---", 1)[-1]
        # A paragraph's lines are one text (a soft break joins them).
        # and emphasis marks are not text.
        yield re.sub(r"(?<=\S)\n(?=\S)", "", text).replace("*", "")


def clause_cuts(clause, cache={}):
    if clause not in cache:
        cuts, at = {0}, 0
        for word, _ in SEGMENTER.cut(clause):
            at += len(word)
            cuts.add(at)
        cache[clause] = cuts
    return cache[clause]


def spread(places, count=40):
    """`count` of `places`, evenly spaced: the reports come in year order,
    and the first places alone would judge a unit by the 1950s' wording."""
    if len(places) <= count:
        return places
    return [places[i * len(places) // count] for i in range(count)]


def cut_around_in_most(places, unit):
    """Whether THULAC cuts at both ends of `unit` in most of (40 of)
    `places`: (clause, where `unit` starts in it)."""
    votes = []
    for sentence, at in spread(places):
        cuts = clause_cuts(sentence)
        votes.append(at in cuts and at + len(unit) in cuts)
    return bool(votes) and 2 * sum(votes) > len(votes)


def agrees(corpus, before, unit, after):
    """Whether THULAC cuts around `unit` where `before+unit+after` occurs."""
    needle = before + unit + after
    places = []
    for text in corpus:
        start = text.find(needle)
        while start >= 0:
            for clause in CLAUSE.finditer(text, max(0, start - 60), start + len(needle) + 60):
                if clause.start() <= start and start + len(needle) <= clause.end():
                    places.append((clause.group(), start - clause.start() + len(before)))
            start = text.find(needle, start + 1)
    return cut_around_in_most(places, unit)


def agrees_near(corpus, node, unit, window=10):
    """Whether THULAC cuts around `unit` where it occurs within `window`
    characters of `node` in a clause: where a collocate was found, not in
    every longer word that holds its characters (以 in 可以)."""
    places = []
    for text in corpus:
        if node not in text or unit not in text:
            continue
        for clause in CLAUSE.finditer(text):
            sentence = clause.group()
            at_node = sentence.find(node)
            while at_node >= 0:
                low, high = max(0, at_node - window - len(unit)), at_node + len(node) + window + len(unit)
                at = sentence.find(unit, low)
                while 0 <= at and at + len(unit) <= high:
                    if at + len(unit) <= at_node or at >= at_node + len(node):
                        places.append((sentence, at))
                    at = sentence.find(unit, at + 1)
                at_node = sentence.find(node, at_node + 1)
    return cut_around_in_most(places, unit)


def wenku(options, *args):
    out = subprocess.run([options.wenku, *args, "--root", str(options.site)], capture_output=True, check=True)
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--wenku", default=str(Path(__file__).resolve().parent.parent / "target/release/wenku"))
    parser.add_argument("--words", default="坚持,推进,加强,发展,建设")
    parser.add_argument("--year", type=int, default=2021, help="the year of the keyness and clusters checked")
    options = parser.parse_args()
    corpus = list(texts(options.site))
    total = whole = 0
    for word in options.words.split(","):
        for table in ["next", "before"]:
            rows = wenku(options, "kwic", word, "--table", table, "--limit", "200", "--json")["rows"]
            bad = []
            for row in rows:
                ok = agrees(corpus, word if table == "next" else "", row["text"], word if table == "before" else "")
                if not ok:
                    bad.append(row["text"])
            total += len(rows)
            whole += len(rows) - len(bad)
            share = 100 * (len(rows) - len(bad)) / max(1, len(rows))
            print(f"{word} {table}: {len(rows)} units, {share:.1f}% whole; not: {' '.join(bad[:12])}", flush=True)
    print(f"all tables: {total} units, {100 * whole / max(1, total):.1f}% whole")
    # Collocates, keyness and clusters: their units on their own.
    views = [
        (f"collocates of {word}", ["kwic", word, "--table", "collocates", "--json"]) for word in options.words.split(",")
    ] + [
        (f"keyness {options.year}", ["keywords", "--target", f"year:{options.year}", "--reference",
                                     f"year:{options.year - 5}..{options.year - 1}", "--json"]),
        (f"new in {options.year}", ["keywords", "--target", f"year:{options.year}", "--reference",
                                    f"year:{options.year - 5}..{options.year - 1}", "--new", "--json"]),
        (f"clusters of {options.year}", ["clusters", f"year:{options.year}", "--json"]),
    ]
    for name, args in views:
        rows = wenku(options, *args)["rows"]
        node = args[1] if args[0] == "kwic" else None
        judge = (lambda unit: agrees_near(corpus, node, unit)) if node else (lambda unit: agrees(corpus, "", unit, ""))
        bad = [row["text"] for row in rows if not judge(row["text"])]
        share = 100 * (len(rows) - len(bad)) / max(1, len(rows))
        print(f"{name}: {len(rows)} units, {share:.1f}% whole; not: {' '.join(bad[:12])}", flush=True)
    # The comparison's 提法变化 on every report page (of the built site).
    units = set()
    for page in (options.site / "public").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if 'class="novel"' in html:
            lists = html.split('class="novel"', 1)[1].split("</details>", 1)[0]
            units.update(re.findall(r'<li><a href="[^"]*">([^<]+)</a>', lists))
    bad = [unit for unit in sorted(units) if not agrees(corpus, "", unit, "")]
    share = 100 * (len(units) - len(bad)) / max(1, len(units))
    print(f"提法变化: {len(units)} units, {share:.1f}% whole; not: {' '.join(bad[:30])}")


if __name__ == "__main__":
    sys.exit(main())
