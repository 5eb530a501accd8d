#!/usr/bin/env python3
"""Import benchmark: `wenku import` on the real corpus and on COUNT generated
plain-text reports, and the share of real files flagged for review per field.

    python3 benches/import_bench.py [--count 10000] [--runs 3]

The generated files are ../shared/bench/make_corpus.py's reports written back
as plain text (title line, then one paragraph per line, headings as written),
so the importer does all its work on them: decoding, cleaning, joining,
structure and metadata. Needs `cargo build --release`.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WENKU_SHARED", REPO.parent / "shared"))
REAL = ["provincial-2025/raw", "provincial-2026/txt", "wikisource-national/gwr"]


def generate_text(count, out):
    md = out / "md"
    subprocess.run([sys.executable, SHARED / "bench/make_corpus.py", md, "--count", str(count)], check=True,
                   stdout=subprocess.DEVNULL)
    txt = out / "txt"
    txt.mkdir()
    for i, path in enumerate(sorted(md.rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = re.search(r'^title: "?(.*?)"?$', front, re.M).group(1)
        lines = [l.lstrip("# ") for l in body.splitlines() if l.strip()]
        (txt / f"{i:05d}.txt").write_text(title + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(md)
    return txt


def timed_import(inputs, runs):
    times, output = [], ""
    for _ in range(runs + 1):  # the first run warms the page cache
        site = Path(tempfile.mkdtemp(prefix="wenku-import-"))
        start = time.perf_counter()
        proc = subprocess.run([REPO / "target/release/wenku", "import", *inputs, "--root", site],
                              capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        output = proc.stdout
        shutil.rmtree(site)
    return statistics.median(times[1:]), output


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    print(f"{os.cpu_count()} cores, median of {a.runs} runs after a warm-up")

    real = [SHARED / "corpus" / r for r in REAL]
    seconds, output = timed_import(real, a.runs)
    files = len(re.findall(r"^(imported|would import) .* \(", output, re.M))
    print(f"real corpus: {files} files in {seconds:.2f} s")
    flagged = {f: 0 for f in ["title", "body", "level", "year", "period"]}
    for line in re.findall(r"review: (.*)$", output, re.M):
        for field in line.split(", "):
            flagged[field.strip()] += 1
    print("flagged for review: " + ", ".join(f"{f} {n}/{files} ({n / files:.0%})" for f, n in flagged.items()))

    work = Path(tempfile.mkdtemp(prefix="wenku-import-gen-"))
    try:
        txt = generate_text(a.count, work)
        size = sum(p.stat().st_size for p in txt.iterdir()) / 2**20
        seconds, output = timed_import([txt], a.runs)
        print(f"generated: {a.count} .txt files ({size:.0f} MiB) in {seconds:.2f} s "
              f"({a.count / seconds:.0f} files/s); {output.strip().splitlines()[-2 if 'review' in output else -1]}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
