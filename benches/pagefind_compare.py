#!/usr/bin/env python3
"""Pagefind (extended, with Chinese word segmentation) over the same built
pages as wenku: its indexing time, index size, and phrases it misses.

    pip install 'pagefind-bin-extended>=1.5,<1.6'
    cargo run --release -- build --root SITE
    python3 benches/pagefind_compare.py --site SITE [--phrases 60]

Pagefind is run on SITE/public and writes SITE/public/pagefind. Its search
runs in a browser, so the phrases are looked up by a small page loaded in
headless Chromium from a local static server. For each phrase drawn from the
reports, the table shows how many reports wenku finds (exact, checked by the
exactness tests) and how many pages Pagefind returns (every built page is
indexed, list pages included, as Pagefind does by default); a phrase wenku
finds and Pagefind returns nothing for is a miss.
"""

import argparse
import functools
import http.server
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def pagefind_binary():
    import pagefind_bin_extended  # noqa: F401  (installed by pip)

    return str(Path(pagefind_bin_extended.__file__).parent / "pagefind_extended")


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def draw_phrases(content, count, seed):
    """CJK substrings of 2-6 characters from the reports' text."""
    files = sorted(Path(content).rglob("*.md"))
    rng = random.Random(seed)
    phrases = []
    while len(phrases) < count:
        text = files[rng.randrange(len(files))].read_text(encoding="utf-8").split("---", 2)[-1]
        runs = [r for r in re.findall(r"[\u4e00-\u9fff]{6,}", text)]
        if not runs:
            continue
        run = rng.choice(runs)
        length = rng.randint(2, 6)
        start = rng.randrange(len(run) - length + 1)
        phrases.append(run[start : start + length])
    return phrases


def wenku_totals(wenku, site, phrases):
    totals = {}
    for phrase in phrases:
        out = subprocess.run(
            [wenku, "search", phrase if " " in phrase else f'"{phrase}"', "--root", site, "--json", "--limit", "1"],
            check=True, capture_output=True, text=True,
        ).stdout
        totals[phrase] = json.loads(out)["total"]
    return totals


# Each query: its results, and the requests and bytes it fetched (the
# search, then the first ten results' data, as a results page shows them);
# the first query also loads Pagefind itself (cold), later ones only their own
# files (warm: Pagefind keeps what it loaded, as wenku's engine does).
HARNESS = """<!doctype html><meta charset="utf-8"><pre id="out">running</pre>
<script type="module">
const fetched = () => performance.getEntriesByType("resource");
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
const phrases = %s;
const counts = {};
const costs = {};
for (const phrase of phrases) {
  const before = fetched().length;
  const started = performance.now();
  const search = await pagefind.search(phrase);
  await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  const took = performance.now() - started;
  const mine = fetched().slice(before);
  counts[phrase] = search.results.length;
  costs[phrase] = [mine.length, mine.reduce((s, e) => s + e.transferSize, 0), took];
}
document.getElementById("out").textContent = "RESULT" + JSON.stringify({counts, costs});
</script>
"""


def pagefind_counts(public, phrases):
    (Path(public) / "pagefind-compare.html").write_text(HARNESS % json.dumps(phrases, ensure_ascii=False), encoding="utf-8")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=public)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    try:
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=600000",
             "--dump-dom", f"http://127.0.0.1:{server.server_address[1]}/pagefind-compare.html"],
            check=True, capture_output=True, text=True, timeout=900,
        ).stdout
    finally:
        server.shutdown()
        (Path(public) / "pagefind-compare.html").unlink()
    match = re.search(r"RESULT(\{.*\})</pre>", dom, re.S)
    if not match:
        sys.exit("the Pagefind page did not finish:\n" + dom[-2000:])
    result = json.loads(match.group(1).replace("&amp;", "&"))
    return result["counts"], result["costs"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True)
    parser.add_argument("--phrases", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wenku", default=str(REPO / "target/release/wenku"))
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    public = os.path.join(site, "public")

    shutil.rmtree(os.path.join(public, "pagefind"), ignore_errors=True)
    started = time.monotonic()
    subprocess.run([pagefind_binary(), "--site", public], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pf_size = folder_size(os.path.join(public, "pagefind"))
    index_size = folder_size(os.path.join(site, "search-index"))
    content_size = folder_size(os.path.join(site, "content"))
    print(f"cores: {os.cpu_count()}")
    print(f"Pagefind 1.5 extended: {elapsed:.1f} s, peak RSS {peak:.0f} MiB, index {pf_size / 2**20:.1f} MiB")
    print(f"wenku index: {index_size / 2**20:.1f} MiB; Markdown: {content_size / 2**20:.1f} MiB")

    # The battery of benches/static_search.rs first (its wording, without
    # the query syntax Pagefind does not have), then random phrases.
    battery = ["年度", "的", "发展", "经济发展", "新质生产力", "全面建成小康社会", "坚持以人民为中心的发展思想",
               "改革 开放 创新", "没有这样的词语组合"]
    phrases = draw_phrases(os.path.join(site, "content"), args.phrases, args.seed)
    ours = wenku_totals(args.wenku, site, battery + phrases)
    theirs, costs = pagefind_counts(public, battery + phrases)
    print(f"\n{'query':<16} {'wenku reports':>14} {'Pagefind pages':>15} {'requests':>9} {'KB':>8} {'ms':>7}")
    for query in battery:
        requests, size, took = costs[query]
        print(f"{query:<16} {ours[query]:>14} {theirs.get(query, 0):>15} {requests:>9} {size / 1024:>8.0f} {took:>7.0f}")
    print("(the first query, 年度, loads Pagefind itself: cold; the others are warm)")
    misses = [p for p in phrases if ours[p] > 0 and theirs.get(p, 0) == 0]
    print(f"\n{'phrase':<10} {'wenku reports':>14} {'Pagefind pages':>15}")
    for phrase in phrases:
        flag = "  <- Pagefind misses it" if phrase in misses else ""
        print(f"{phrase:<10} {ours[phrase]:>14} {theirs.get(phrase, 0):>15}{flag}")
    print(f"\nPagefind returns nothing for {len(misses)} of {len(phrases)} phrases that wenku finds.")


if __name__ == "__main__":
    main()
