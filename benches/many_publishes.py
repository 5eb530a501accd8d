#!/usr/bin/env python3
"""What many publishes leave: the static index after N one-report publishes
against a fresh build of the same reports, by the bytes a query downloads.

    python3 benches/many_publishes.py --site SITE --fresh FRESH [--publishes 1000]

SITE is a wenku site with its static index on (e.g. made by
../shared/bench/make_corpus.py SITE/content --count 10000); it is built
first if it has no output. Then, one after another, N publishes, each one
report added (a real report's text under a new title), edited (a sentence
appended) or removed (one this run added), followed by `wenku build`: the
build's wall time (p50, p90, max) and, every 100 publishes, the static
index's segments and size. Then FRESH (emptied) gets the same reports and
`wenku build` from nothing, and `cargo bench --bench static_search` runs its
query battery on both sites (Chromium, a plain static server): the bytes
per query after the publishes against a fresh build's, with the totals of
the battery.

The reports it adds are under content/many-publishes/ and stay (so that
FRESH holds what SITE holds); remove that folder and build to undo.
Needs a release build (`cargo build --release`) and Chromium.
"""
import argparse, json, os, random, re, shutil, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WENKU = REPO / "target/release/wenku"


def build(site):
    started = time.perf_counter()
    run = subprocess.run([WENKU, "build"], cwd=site, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"wenku build failed in {site}:\n{run.stderr}")
    return time.perf_counter() - started


def index_shape(site):
    search = site / "public/_search"
    manifest = json.loads((search / "manifest.json").read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in search.rglob("*") if f.is_file())
    deleted = sum(len(s["deleted"]) for s in manifest["segments"])
    return len(manifest["segments"]), deleted, size


def battery(site):
    """The static_search bench's table for `site`: {query: (cold KB, warm KB)}."""
    run = subprocess.run(
        ["cargo", "bench", "--bench", "static_search"],
        cwd=REPO,
        env=dict(os.environ, WENKU_SITE=str(site)),
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"the static_search bench failed:\n{run.stderr[-2000:]}")
    rows = {}
    for line in run.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 8 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[2], float(cells[4]), float(cells[6]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--fresh", required=True, help="a folder for the fresh build of the same reports (emptied)")
    ap.add_argument("--publishes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    site, fresh = Path(a.site).resolve(), Path(a.fresh).resolve()
    rng = random.Random(a.seed)
    own = site / "content/many-publishes"
    reports = sorted(p for p in (site / "content").rglob("*.md") if own not in p.parents)
    print(f"{len(reports)} reports in {site}; {os.cpu_count()} cores; {a.publishes} publishes")
    if not (site / "public/_search/manifest.json").exists():
        print(f"build from nothing: {build(site):.1f} s")
    else:
        build(site)

    added, times = [], []
    for n in range(1, a.publishes + 1):
        action = rng.random()
        if action < 0.5 or not added:
            source = rng.choice(reports)
            front, text = source.read_text(encoding="utf-8").split("---", 2)[1:]
            front = re.sub(r"(?m)^title:.*$", f"title: 发布第{n}篇", front)
            path = own / f"p{n}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---{front}---{text}\n\n第{n}次发布新增的一段话。\n", encoding="utf-8")
            added.append(path)
        elif action < 0.9:
            target = rng.choice(added if rng.random() < 0.5 else reports)
            target.write_text(target.read_text(encoding="utf-8") + f"\n\n第{n}次发布补充的一段话。\n", encoding="utf-8")
        else:
            added.pop(rng.randrange(len(added))).unlink()
        times.append(build(site))
        if n % 100 == 0 or n == a.publishes:
            segments, deleted, size = index_shape(site)
            cut = sorted(times)
            print(
                f"after {n} publishes: build p50 {statistics.median(cut):.2f} s, "
                f"p90 {cut[int(0.9 * (len(cut) - 1))]:.2f} s, max {cut[-1]:.2f} s; "
                f"{segments} segments, {deleted} deleted reports, _search/ {size / 2**20:.0f} MiB",
                flush=True,
            )

    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    shutil.copytree(site / "content", fresh / "content")
    for name in ["wenku.yaml"]:
        if (site / name).exists():
            shutil.copy(site / name, fresh / name)
    print(f"fresh build of the same reports: {build(fresh):.1f} s")
    segments, deleted, size = index_shape(fresh)
    print(f"fresh: {segments} segments, {deleted} deleted reports, _search/ {size / 2**20:.0f} MiB")

    published, rebuilt = battery(site), battery(fresh)
    print("| query | reports | cold KB after publishes | fresh | warm KB after publishes | fresh | warm ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0.0, 0.0, 0.0, 0.0]
    for query, (found, cold, warm) in published.items():
        _, fresh_cold, fresh_warm = rebuilt.get(query, ("", float("nan"), float("nan")))
        totals = [t + v for t, v in zip(totals, [cold, fresh_cold, warm, fresh_warm])]
        ratio = warm / fresh_warm if fresh_warm else float("nan")
        print(f"| `{query}` | {found} | {cold:.0f} | {fresh_cold:.0f} | {warm:.0f} | {fresh_warm:.0f} | {ratio:.2f} |")
    print(
        f"| all | | {totals[0]:.0f} | {totals[1]:.0f} | {totals[2]:.0f} | {totals[3]:.0f} | "
        f"{totals[2] / totals[3]:.2f} |"
    )


if __name__ == "__main__":
    main()
