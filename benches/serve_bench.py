#!/usr/bin/env python3
"""Serve benchmark: save-to-served latency, index latency, memory and
/api/search under load, for `wenku serve` (and `hugo server` on the same
reports, for the save-to-served figure).

    python3 benches/serve_bench.py --site SITE [--hugo-site HUGO_SITE]
        [--edits 20] [--connections 64] [--seconds 10] [--after-pause 10]

SITE is a wenku site folder (e.g. one made by ../shared/bench/make_corpus.py
OUT/content --count 10000); HUGO_SITE the same reports in Hugo's flavour
with benches/hugo-site's config (build_vs_hugo.py --work DIR makes both).

For each of EDITS edits the script appends a paragraph with a unique token
to a report, then polls (every 2 ms, over one keep-alive connection) until
the report's page contains the token ("served") and, for wenku, until
/api/search finds it ("indexed"). Times run from just before the write.
A second round of EDITS changes one character in the middle of a report's
longest paragraph instead, which in a generated corpus recurs in other
reports: their pages name it, so the rebuild rewrites them too (wenku's own
log says how long that took and how many files it wrote).
The load run is `cargo bench --bench api_load`: CONNECTIONS keep-alive
connections for SECONDS on loopback. Needs `cargo build --release`.
"""
import argparse, http.client, json, os, random, re, shutil, statistics, subprocess, sys, time, urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/")
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start")


class Client:
    """One keep-alive connection; reconnects when the server drops it (Hugo
    does while it rebuilds)."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path):
        for _ in range(100):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                time.sleep(0.002)
        sys.exit(f"{path}: the server keeps dropping the connection")


def get(client, path):
    return client.get(path)


def rss_mib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"(VmRSS|VmHWM):\s+(\d+) kB", status))
    return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024


def anon_mib(pid):
    """The process's own memory, without the index files it maps (RSS counts
    the pages of those that searches touched: page cache, given back to the
    system when it needs them)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"RssAnon:\s+(\d+) kB", status).group(1)) / 1024


def pick_reports(content, n, seed=7):
    files = sorted(p for p in content.rglob("*.md") if p.stem.isascii())
    random.Random(seed).shuffle(files)
    return files[:n]


def append_token(original, i):
    token = f"基准测试标记{os.getpid()}x{i}x{random.randrange(10**9)}"
    return original + f"\n\n{token}。\n", token


def change_character(original, i):
    """One character in the middle of the longest paragraph changed."""
    body = original.split("---\n", 2)[-1]
    longest = max((l for l in body.splitlines() if not l.startswith("#")), key=len)
    middle = len(longest) // 2
    changed = longest[:middle] + "甲乙丙丁戊己庚辛"[i % 8] + longest[middle + 1:]
    return original.replace(longest, changed, 1), changed


def measure_edits(port, content, files, with_index, edit=append_token, pause=0.5):
    conn = Client(port)
    served, indexed = [], []
    for i, path in enumerate(files):
        url = "/" + str(path.relative_to(content).with_suffix("")) + "/"
        original = path.read_text(encoding="utf-8")
        edited, token = edit(original, i)
        get(conn, url)  # the page is warm, as when a person looks at it
        start = time.perf_counter()
        path.write_text(edited, encoding="utf-8")
        deadline = start + 30
        while token.encode() not in get(conn, url)[1]:
            if time.perf_counter() > deadline:
                sys.exit(f"{url} never showed the edit")
            time.sleep(0.002)
        served.append((time.perf_counter() - start) * 1000)
        if with_index:
            q = urllib.parse.quote(f'"{token}"')
            while json.loads(get(conn, f"/api/search?q={q}")[1]).get("total") != 1:
                if time.perf_counter() > deadline:
                    sys.exit(f"the index never found {token}")
                time.sleep(0.002)
            indexed.append((time.perf_counter() - start) * 1000)
        path.write_text(original, encoding="utf-8")
        time.sleep(pause)  # let the restore be rebuilt before the next edit
    return served, indexed


def summary(ms):
    return f"p50 {statistics.median(ms):7.1f} ms   max {max(ms):7.1f} ms   (n={len(ms)})"


def rebuild_log(log, since):
    """The rebuilds wenku logged after byte offset `since`: (ms, files written)."""
    text = log.read_text(encoding="utf-8")[since:]
    return [(int(ms), int(files)) for ms, files in re.findall(r"rebuilt in (\d+) ms: \d+ reports re-read, (\d+) files", text)]


def rebuild_summary(rebuilds):
    ms, files = [r[0] for r in rebuilds], [r[1] for r in rebuilds]
    return (f"rebuild p50 {statistics.median(ms):.0f} ms, max {max(ms)} ms; "
            f"files written p50 {statistics.median(files):.0f}, max {max(files)}")


def queries(content, n=200, seed=11):
    """Phrases of 2-8 Han characters drawn from the reports, and multi-word queries."""
    rng = random.Random(seed)
    files = sorted(content.rglob("*.md"))
    han = re.compile(r"[\u4e00-\u9fff]{8,}")
    out = []
    while len(out) < n:
        text = rng.choice(files).read_text(encoding="utf-8")
        runs = han.findall(text.split("---", 2)[-1])
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, 8)
        at = rng.randrange(0, len(run) - size + 1)
        phrase = run[at:at + size]
        out.append(f'"{phrase}"' if len(out) % 4 else f"{phrase[:2]} {run[-2:]}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True, type=Path)
    ap.add_argument("--hugo-site", type=Path)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--after-pause", type=int, default=0,
                    help="also time this many edits 3 s apart (each lands on a static index remake)")
    a = ap.parse_args()
    wenku = REPO / "target/release/wenku"
    content = a.site / "content"
    reports = sum(1 for _ in content.rglob("*.md"))
    print(f"{reports} reports, {os.cpu_count()} cores")

    port = free_port()
    started = time.perf_counter()
    log = Path(a.site) / ".bench-serve.log"
    server = subprocess.Popen([wenku, "serve", "--root", a.site, "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        wait_for_port(port, server)
        print(f"wenku serve: built and serving after {time.perf_counter() - started:.1f} s; "
              f"RSS {rss_mib(server.pid)[0]:.0f} MiB")
        since = len(log.read_text(encoding="utf-8"))
        served, indexed = measure_edits(port, content, pick_reports(content, a.edits), True)
        print(f"wenku save → page served:  {summary(served)}")
        print(f"wenku save → index finds:  {summary(indexed)}")
        print(f"  (wenku's log: {rebuild_summary(rebuild_log(log, since))})")
        since = len(log.read_text(encoding="utf-8"))
        files = pick_reports(content, a.edits, seed=8)
        served, _ = measure_edits(port, content, files, False, change_character)
        print(f"wenku save → page served, a recurring paragraph changed: {summary(served)}")
        print(f"  (wenku's log: {rebuild_summary(rebuild_log(log, since))})")
        rss, peak = rss_mib(server.pid)
        print(f"wenku serve memory after the edits: RSS {rss:.0f} MiB (own {anon_mib(server.pid):.0f} MiB), peak {peak:.0f} MiB")
        if a.after_pause:
            # Edits 3 s apart: past the 2 s pause after which a stale static
            # index is remade, so each save lands on a remake under way.
            files = pick_reports(content, a.after_pause, seed=9)
            served, _ = measure_edits(port, content, files, False, pause=3.0)
            print(f"wenku save → page served, edits 3 s apart (a static index remake under way): {summary(served)}")
            rss, peak = rss_mib(server.pid)
            print(f"wenku serve memory then: RSS {rss:.0f} MiB (own {anon_mib(server.pid):.0f} MiB), peak {peak:.0f} MiB")

        query_file = Path(a.site) / ".bench-queries.txt"
        query_file.write_text("\n".join(queries(content)), encoding="utf-8")
        load = subprocess.run(["cargo", "bench", "--quiet", "--bench", "api_load", "--", f"127.0.0.1:{port}",
                               str(query_file), str(a.connections), str(a.seconds)],
                              cwd=REPO, capture_output=True, text=True)
        print(load.stdout.strip() or load.stderr.strip())
        rss, peak = rss_mib(server.pid)
        print(f"wenku serve memory after the load: RSS {rss:.0f} MiB (own {anon_mib(server.pid):.0f} MiB), peak {peak:.0f} MiB")
    finally:
        server.terminate()
        server.wait()

    if a.hugo_site:
        hugo = os.environ.get("HUGO") or hugo_binary()
        port = free_port()
        started = time.perf_counter()
        server = subprocess.Popen([hugo, "server", "--port", str(port), "--bind", "127.0.0.1",
                                   "--disableLiveReload"], cwd=a.hugo_site,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, server)
            print(f"hugo server: serving after {time.perf_counter() - started:.1f} s; "
                  f"RSS {rss_mib(server.pid)[0]:.0f} MiB")
            hugo_content = a.hugo_site / "content"
            served, _ = measure_edits(port, hugo_content, pick_reports(hugo_content, a.edits), False)
            print(f"hugo save → page served:   {summary(served)}")
            rss, peak = rss_mib(server.pid)
            print(f"hugo server memory after the edits: RSS {rss:.0f} MiB, peak {peak:.0f} MiB")
        finally:
            server.terminate()
            server.wait()


def hugo_binary():
    import sysconfig
    binary = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    return str(binary) if binary.exists() else shutil.which("hugo")


if __name__ == "__main__":
    main()
