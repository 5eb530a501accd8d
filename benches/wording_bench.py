#!/usr/bin/env python3
"""Wording benchmark: what comparison pages and recurring passages add to a
full build, and the recurring passages of the real corpus.

    python3 benches/wording_bench.py [--site SITE | --count 10000] [--runs 3]

Builds SITE (or COUNT reports made by ../shared/bench/make_corpus.py) with
`compare_pages` and `recurring_passages` off, each alone, and both on (the
default), RUNS times each, interleaved so that drift in the machine's speed
spreads over all four; the first round only warms the page cache. Each
timed build replaces the output of an untimed build of the same settings
(as a user's rebuild does: deleting another setting's output would charge
one setting for another's files), and starts after a `sync`. Reports
the median wall, user and system time and the output's size. Then lists the
ten passages that recur most in the real reports (make_corpus.py without
--count) with `wenku passages`. Needs `cargo build --release`.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WENKU_SHARED", REPO.parent / "shared"))
WENKU = REPO / "target/release/wenku"
CONFIGS = [
    ("neither", "compare_pages: false\nrecurring_passages: false\n"),
    ("comparison pages only", "recurring_passages: false\n"),
    ("recurring passages only", "compare_pages: false\n"),
    ("both (the default)", ""),
]


def build(site):
    # Each build starts with the previous one's files on disk, so that its
    # time is its own work and not the write-back of the one before.
    os.sync()
    time.sleep(1)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([WENKU, "build", "--root", site], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def size_of(folder):
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wenku-wording-"))
    try:
        site = a.site
        if site is None:
            site = work / "site"
            subprocess.run([sys.executable, SHARED / "bench/make_corpus.py", site / "content", "--count", str(a.count)],
                           check=True, stderr=subprocess.DEVNULL)
        config = site / "wenku.yaml"
        kept = config.read_text(encoding="utf-8") if config.exists() else None
        reports = sum(1 for _ in (site / "content").rglob("*.md"))
        print(f"{reports} reports, {os.cpu_count()} cores, {a.runs} runs each (medians)")
        times = {name: [] for name, _ in CONFIGS}
        sizes = {}
        try:
            for run in range(a.runs + 1):
                for name, yaml in CONFIGS:
                    config.write_text(yaml, encoding="utf-8")
                    build(site)
                    measured = build(site)
                    if run > 0:
                        times[name].append(measured)
                    sizes[name] = size_of(site / "public")
        finally:
            if kept is None:
                config.unlink()
            else:
                config.write_text(kept, encoding="utf-8")
        base = statistics.median(t[0] for t in times["neither"])
        for name, _ in CONFIGS:
            wall, user, system = (statistics.median(t[i] for t in times[name]) for i in range(3))
            files, size = sizes[name]
            print(f"  {name:24} wall {wall:6.2f} s ({(wall / base - 1) * 100:+5.1f}%)  user {user:6.2f} s  "
                  f"sys {system:6.2f} s  {files} files, {size / 1e6:.0f} MB")

        real = work / "real"
        subprocess.run([sys.executable, SHARED / "bench/make_corpus.py", real / "content"], check=True,
                       stderr=subprocess.DEVNULL)
        print("\nThe real corpus (make_corpus.py without --count):")
        listing = subprocess.run([WENKU, "passages", "--root", real, "--limit", "10"], check=True,
                                 capture_output=True, text=True)
        print(listing.stdout)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
