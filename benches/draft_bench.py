#!/usr/bin/env python3
"""The draft check (起草核对), cold and warm, on a built site.

    python3 benches/draft_bench.py --site SITE [--chars 5000] [--runs 3]

SITE is e.g. `make_corpus.py SITE/content --count 10000`, a wenku.yaml and
`wenku build`. The draft is the first CHARS characters of a real 2026
provincial report (../shared/corpus). Prints the wall time and peak memory
of `wenku draft DRAFT --json` (a fresh process: cold), then, against one
`wenku serve`, of POST /api/draft: the first check (cold), the same draft
again and the draft with three sentences edited (warm).
"""
import argparse, statistics, subprocess, tempfile, time, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared/corpus/provincial-2026/txt"


def post(url, data):
    started = time.perf_counter()
    request = urllib.request.Request(url, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--wenku", default=str(REPO / "target/release/wenku"))
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=18097)
    options = parser.parse_args()
    source = sorted(CORPUS.glob("*.txt"))[3].read_text(encoding="utf-8")
    draft = source[: options.chars]
    edited = draft.replace("。", "，并持续深化改革创新。", 3)
    work = Path(tempfile.mkdtemp())
    (work / "draft.txt").write_text(draft, encoding="utf-8")

    times, peaks = [], []
    for _ in range(options.runs):
        run = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", options.wenku, "draft", str(work / "draft.txt"), "--json"],
            cwd=options.site, capture_output=True, text=True, check=True,
        )
        wall, peak = run.stderr.strip().splitlines()[-1].split()
        times.append(float(wall))
        peaks.append(int(peak) / 1024)
    print(f"wenku draft ({len(draft)} characters), cold: median {statistics.median(times):.2f} s, "
          f"worst {max(times):.2f} s, peak {max(peaks):.0f} MB")

    server = subprocess.Popen(
        [options.wenku, "serve", "--no-build", "--no-watch", "--bind", f"127.0.0.1:{options.port}"],
        cwd=options.site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{options.port}/api/draft"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{options.port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        print(f"POST /api/draft, first check: {post(url, draft.encode()):.2f} s")
        print(f"  the same draft again: {post(url, draft.encode()):.2f} s")
        print(f"  three sentences edited: {post(url, edited.encode()):.2f} s")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
