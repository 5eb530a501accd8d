#!/usr/bin/env python3
"""Latency of wording research under `wenku serve`, on a built site.

    python3 benches/kwic_bench.py --site /tmp/bench10k/wenku [--wenku target/release/wenku]

Starts `wenku serve --no-build --no-watch` on the site, then for 50 phrases
of varied frequency times the concordance sorted by right context
(`/api/kwic`), what follows and what precedes (`/api/kwic/next`, `/before`),
and for 50 gap queries their variants (`/api/kwic/variants`). Each request
misses the server's cache of recent queries (a warm-up pass with another
context width reads the index first, so the disk cache is warm): the figures
are for finding every occurrence, not for paging through found ones. Then
the export of a concordance of more than 100,000 lines as CSV and as XLSX.
Prints p50, p99 and max per view, and the occurrences the phrases had.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

PHRASES = [
    # single characters and common words
    "发", "的", "坚持", "发展", "改革", "人民", "经济", "建设", "创新", "生态",
    # common four-character wording
    "经济发展", "改革开放", "疫情防控", "高质量发展", "乡村振兴", "营商环境", "供给侧", "一带一路", "民营经济", "社会保障",
    # rarer and longer
    "打通供应链", "新质生产力", "数字政府", "碳达峰", "粮食安全", "放管服", "双循环", "共同富裕", "专精特新", "城市更新",
    "人工智能", "老旧小区", "京津冀", "长三角", "稳中求进", "以人民为中心", "中国特色社会主义", "全面从严治党",
    "社会主义现代化国家", "产业链供应链", "减税降费", "简政放权", "宏观调控", "就业优先", "不忘初心", "牢记使命",
    "国际金融危机", "三个代表", "科学发展观", "计划生育",
]
HEADS = ["坚持", "加快", "推进", "深化", "加强", "提高", "推动", "实施", "全面", "促进"]
TAILS = ["发展", "建设", "改革", "水平", "体系"]
GAPS = [f"{h}{'*' if i % 2 else '{0,6}'}{t}" for i, (h, t) in enumerate((h, t) for h in HEADS for t in TAILS)]


def get(base, path, params):
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - started, body


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", required=True)
    parser.add_argument("--wenku", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "wenku"))
    args = parser.parse_args()

    server = subprocess.Popen(
        [args.wenku, "serve", "--no-build", "--no-watch", "--bind", "127.0.0.1:0"],
        cwd=args.site, stderr=subprocess.PIPE, text=True)
    base = None
    for line in server.stderr:
        found = re.search(r"serving (http://[0-9.:]+)", line)
        if found:
            base = found.group(1)
            break
    if base is None:
        sys.exit("wenku serve did not start")
    try:
        views = [
            ("concordance, sorted by right context", "/api/kwic", PHRASES, {"sort": "right"}),
            ("what follows", "/api/kwic/next", PHRASES, {}),
            ("what precedes", "/api/kwic/before", PHRASES, {}),
            ("variants of gap queries", "/api/kwic/variants", GAPS, {}),
        ]
        cpus = os.cpu_count()
        print(f"site {args.site}, {cpus} cores; each request misses the server's query cache, disk cache warm")
        for name, path, queries, extra in views:
            quoted = [q if path.endswith("variants") else f'"{q}"' for q in queries]
            for q in quoted:  # warm-up: reads the index, other cache key
                get(base, path, {"q": q, "width": 29, **extra})
            times, totals, big, detail = [], [], [], []
            for q in quoted:
                seconds, body = get(base, path, {"q": q, "width": 30, **extra})
                times.append(seconds * 1000)
                total = json.loads(body).get("total", 0)
                totals.append(total)
                if total >= 10_000:
                    big.append(seconds * 1000)
                    detail.append(f"{q} {total} {seconds * 1000:.0f} ms")
            print(f"{name}: {len(times)} queries, occurrences {min(totals)}–{max(totals)}; "
                  f"p50 {percentile(times, 50):.0f} ms, p99 {percentile(times, 99):.0f} ms, max {max(times):.0f} ms")
            if big:
                print(f"  the {len(big)} with 10,000+ occurrences: p50 {statistics.median(big):.0f} ms, max {max(big):.0f} ms")
                print("    " + " · ".join(detail))

        # Export of more than 100,000 lines (no folding): CSV and XLSX.
        for phrase in ['"人民"', '"发展"']:
            _, body = get(base, "/api/kwic", {"q": phrase, "fold": 0, "per_page": 1})
            lines = json.loads(body)["line_count"]
            if lines >= 100_000:
                break
        for fmt in ["csv", "xlsx"]:
            seconds, body = get(base, "/api/kwic/export", {"q": phrase, "fold": 0, "view": "lines", "format": fmt})
            print(f"export {phrase}, {lines} lines as {fmt}: {seconds * 1000:.0f} ms, {len(body) / 1e6:.1f} MB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
