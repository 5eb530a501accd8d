#!/usr/bin/env python3
"""Research statistics, cold: each run a fresh `wenku` process (no cache of
earlier queries), on a built site.

    python3 benches/research_stats.py --site SITE [--runs 3] [--year 2020] [--build-cost]

SITE is e.g. `make_corpus.py SITE/content --count 10000`, a wenku.yaml and
`wenku build`. Prints the median and worst wall time of: collocates of 坚持
(window 10), collocates of 发展, the year table of 坚持, keyness of one year
against the five before (and --new), keyness of five years against the five
before, clusters of one year.

With --build-cost: what the year and body pages' formulations cost a full
`wenku build` from nothing (the output, the index and the build state
removed first), from builds with `formulations: true` and `false` taken
in turn (`--runs` of each; the site's wenku.yaml is restored afterwards).
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--wenku", default=str(REPO / "target/release/wenku"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--build-cost", action="store_true")
    options = parser.parse_args()
    if options.build_cost:
        build_cost(options)
        return
    year = options.year
    cases = [
        ("collocates of 坚持", ["kwic", "坚持", "--table", "collocates", "--json"]),
        ("collocates of 发展", ["kwic", "发展", "--table", "collocates", "--json"]),
        ("years of 坚持", ["kwic", "坚持", "--table", "years", "--json"]),
        (f"keyness {year} against {year - 5}..{year - 1}",
         ["keywords", "--target", f"year:{year}", "--reference", f"year:{year - 5}..{year - 1}", "--json"]),
        (f"new in {year} against {year - 5}..{year - 1}",
         ["keywords", "--target", f"year:{year}", "--reference", f"year:{year - 5}..{year - 1}", "--new", "--json"]),
        (f"keyness {year - 4}..{year} against {year - 9}..{year - 5}",
         ["keywords", "--target", f"year:{year - 4}..{year}", "--reference", f"year:{year - 9}..{year - 5}", "--json"]),
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


def build_cost(options):
    config = options.site / "wenku.yaml"
    original = config.read_text(encoding="utf-8") if config.exists() else None
    # Wall time, and processor time (steadier on a shared machine).
    times = {True: [], False: []}
    cpu = {True: [], False: []}
    try:
        for _ in range(options.runs):
            for on in (True, False):
                config.write_text((original or "") + f"\nformulations: {str(on).lower()}\n", encoding="utf-8")
                for built in ["public", "search-index"]:
                    shutil.rmtree(options.site / built, ignore_errors=True)
                (options.site / ".wenku-state").unlink(missing_ok=True)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                done = subprocess.run([options.wenku, "build", "--root", str(options.site)], capture_output=True)
                times[on].append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[on].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if done.returncode != 0:
                    sys.exit(done.stderr.decode())
                print(f"formulations: {str(on).lower()}: {times[on][-1]:.1f} s, {cpu[on][-1]:.1f} s of processor",
                      flush=True)
    finally:
        if original is None:
            config.unlink()
        else:
            config.write_text(original, encoding="utf-8")
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{os.cpu_count()} cores; build median {on:.1f} s with, {off:.1f} s without: "
          f"+{on - off:.1f} s ({100 * (on - off) / off:.0f}%)", flush=True)
    on, off = statistics.median(cpu[True]), statistics.median(cpu[False])
    print(f"processor time median {on:.1f} s with, {off:.1f} s without: "
          f"+{on - off:.1f} s ({100 * (on - off) / off:.0f}%)", flush=True)


if __name__ == "__main__":
    main()
