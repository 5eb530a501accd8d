#!/usr/bin/env python3
"""Research statistics, cold: each run a fresh `wenku` process (no cache of
earlier queries), on a built site.

    python3 benches/research_stats.py --site SITE [--runs 3] [--year 2020]

SITE is e.g. `make_corpus.py SITE/content --count 10000`, a wenku.yaml and
`wenku build`. Prints the median and worst wall time of: collocates of 坚持
(window 10), collocates of 发展, the year table of 坚持, keyness of one year
against the five before (and --new), clusters of one year.
"""
import argparse, os, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--wenku", default=str(REPO / "target/release/wenku"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=2020)
    options = parser.parse_args()
    year = options.year
    cases = [
        ("collocates of 坚持", ["kwic", "坚持", "--table", "collocates", "--json"]),
        ("collocates of 发展", ["kwic", "发展", "--table", "collocates", "--json"]),
        ("years of 坚持", ["kwic", "坚持", "--table", "years", "--json"]),
        (f"keyness {year} against {year - 5}..{year - 1}",
         ["keywords", "--target", f"year:{year}", "--reference", f"year:{year - 5}..{year - 1}", "--json"]),
        (f"new in {year} against {year - 5}..{year - 1}",
         ["keywords", "--target", f"year:{year}", "--reference", f"year:{year - 5}..{year - 1}", "--new", "--json"]),
        (f"clusters of {year}", ["clusters", f"year:{year}", "--json"]),
    ]
    print(f"{os.cpu_count()} cores; {options.site}", flush=True)
    for name, args in cases:
        times = []
        for _ in range(options.runs):
            started = time.perf_counter()
            done = subprocess.run([options.wenku, *args, "--root", str(options.site)], capture_output=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                sys.exit(f"{name}: {done.stderr.decode()}")
        print(f"{name}: median {statistics.median(times):.2f} s, worst {max(times):.2f} s", flush=True)


if __name__ == "__main__":
    main()
