#!/usr/bin/env python3
"""Publishing benchmark: what one new report costs an archive that is built.

    python3 benches/publish_bench.py --site SITE [--hugo-site HUGO_SITE] [--edits 20]

SITE is a wenku site with its static index on (e.g. made by
../shared/bench/make_corpus.py SITE/content --count 10000); it is built
first if it has no output. Then, in one run:

1. `wenku build` with nothing changed, after adding one report (of a new
   body), after adding a report of the newest year to an existing body (an
   older report's text, edited), and after editing one, removing one and adding one: wall
   time, peak RSS, and what the static index's publish took
   (`WENKU_STATIC_TIMES=1`). These builds start from the state the build
   before left; the first, when the site has no site before last kept
   beside it, copies the site once (hard links);
2. with --hugo-site, `hugo` after adding one page to the same reports in
   Hugo's flavour (Hugo has no incremental build: it builds everything);
3. `wenku serve` on SITE: EDITS saves, each followed by waiting until
   `public/_search/manifest.json` changes: the time from the save to the
   static index being up to date (p50, p90, max), and the segments after.

The reports it adds are under content/publish-bench/ and removed at the end,
and the reports it edits are restored, unless --keep.
Needs a release build (`cargo build --release`).
"""
import argparse, os, random, shutil, socket, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benches"))
from build_vs_hugo import hugo_binary, timed  # noqa: E402


def report(path, title, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\nbody: 基准测试局\nlevel: 市级\nyear: 2026\nperiod: 年度\n---\n\n{text}\n",
        encoding="utf-8",
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--hugo-site")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="leave the saves in place (to compare the index with a fresh build of the same reports)")
    a = ap.parse_args()
    site = Path(a.site).resolve()
    wenku = REPO / "target/release/wenku"
    bench_dir = site / "content/publish-bench"
    shutil.rmtree(bench_dir, ignore_errors=True)
    reports = sorted((site / "content").rglob("*.md"))
    rng = random.Random(7)
    sample_text = reports[0].read_text(encoding="utf-8").split("---", 2)[-1]
    print(f"{len(reports)} reports in {site}; {os.cpu_count()} cores")

    env = dict(os.environ, WENKU_STATIC_TIMES="1", WENKU_BUILD_TIMES="1")

    def build(what):
        wall, rss, user, sys_, err = timed([wenku, "build"], site, keep_stderr=True)
        publish = next((l for l in err.splitlines() if l.startswith("static publish")), "no static publish line")
        print(f"wenku build, {what}: {wall:.2f} s, peak {rss:.0f} MiB; {publish}")
        # Where the time went (`WENKU_BUILD_TIMES`): the steps of a build
        # from the state, in ms.
        steps = [l[len("build step "):] for l in err.splitlines() if l.startswith("build step ")]
        if steps:
            print("    steps: " + "; ".join(steps))
        return wall

    os.environ.update(env)
    if not (site / "public/_search/manifest.json").exists():
        build("from nothing")
    build("nothing changed")
    report(bench_dir / "one.md", "发布基准报告一", sample_text)
    build("one report added")
    # This year's report of an existing body: an older one, edited (the way
    # reports are written), its front matter kept but the year, which is
    # the archive's newest (the first report of a new year rewrites every
    # year's list pages, which name the years: once a year).
    newest = max(int(l.split(":")[1].strip().strip('"')) for r in reports for l in r.read_text(encoding="utf-8").splitlines()[:8] if l.startswith("year:"))
    last_year = rng.choice(reports)
    front, text = last_year.read_text(encoding="utf-8").split("---", 2)[1:]
    front = "".join(
        f"year: {newest}\n" if line.startswith("year:") else ("title: 发布基准本年报告\n" if line.startswith("title:") else line)
        for line in front.splitlines(keepends=True)
    )
    (bench_dir / "this-year.md").write_text(
        f"---{front}---{text}\n\n次年新增的一段工作总结文字。\n", encoding="utf-8"
    )
    build(f"a {newest} report of {last_year.relative_to(site / 'content')}'s body added")
    edited = rng.choice(reports)
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\n\n发布基准补充的一段话。\n", encoding="utf-8")
    (bench_dir / "one.md").unlink()
    report(bench_dir / "two.md", "发布基准报告二", sample_text)
    build("one edited, one removed, one added")

    if a.hugo_site:
        hugo_site = Path(a.hugo_site).resolve()
        hugo = os.environ.get("HUGO") or hugo_binary()
        page = hugo_site / "content/publish-bench.md"
        page.write_text("---\ntitle: 发布基准报告\n---\n\n" + sample_text, encoding="utf-8")
        wall, rss, _, _ = timed([hugo, "--quiet"], hugo_site)
        print(f"hugo, one page added: {wall:.2f} s, peak {rss:.0f} MiB")
        page.unlink()

    # Watch mode: from a save to the static index being up to date.
    port = free_port()
    server = subprocess.Popen(
        # Its log goes to a file: a pipe nobody reads fills and stops it.
        [wenku, "serve", "--bind", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=open(site / ".publish-bench-serve.log", "w"),
    )
    manifest = site / "public/_search/manifest.json"
    try:
        deadline = time.time() + 300
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("wenku serve did not start")
                time.sleep(0.2)
        time.sleep(3)
        waits = []
        originals = {edited: original}
        for n in range(a.edits):
            before = manifest.read_bytes()
            if n % 2 == 0:
                report(bench_dir / f"watch{n}.md", f"发布基准观察{n}", sample_text + f"\n\n第{n}次保存。\n")
            else:
                target = rng.choice(reports)
                originals.setdefault(target, target.read_text(encoding="utf-8"))
                target.write_text(target.read_text(encoding="utf-8") + f"\n\n发布基准第{n}次保存。\n", encoding="utf-8")
            saved = time.perf_counter()
            while manifest.read_bytes() == before:
                if time.perf_counter() - saved > 120:
                    sys.exit(f"edit {n}: the static index was not updated within 120 s")
                time.sleep(0.02)
            waits.append(time.perf_counter() - saved)
            time.sleep(0.3)
        waits.sort()
        p = lambda q: waits[min(len(waits) - 1, int(q * len(waits)))]
        print(
            f"wenku serve, {len(waits)} saves: static index up to date after p50 {p(0.5):.2f} s, "
            f"p90 {p(0.9):.2f} s, max {waits[-1]:.2f} s (from the save; 0.3 s of it is the pause awaited)"
        )
        import json

        segments = json.loads(manifest.read_text())["segments"]
        print(f"segments after: {len(segments)} ({', '.join(str(s['docs'] - len(s['deleted'])) for s in segments)} live reports)")
    finally:
        server.terminate()
        server.wait()
        if a.keep:
            return
        for path, text in locals().get("originals", {edited: original}).items():
            path.write_text(text, encoding="utf-8")
        shutil.rmtree(bench_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
