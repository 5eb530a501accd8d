#!/usr/bin/env python3
"""Research under load: what 16 and 64 concurrent research clients get from
`wenku serve`, and what ordinary pages cost meanwhile.

    python3 benches/research_load.py --site SITE [--connections 16,64] [--seconds 20]

SITE is a built wenku site (e.g. ../shared/bench/make_corpus.py SITE/content
--count 10000, a wenku.yaml, `wenku build`). The clients cycle through a
research mix: the concordance of 的 and of common words, with and without a
year filter (so the server's cache of recent concordances keeps missing),
their 后接 and 提法演变 tables, and CSV and Excel exports. Meanwhile one
reader fetches ordinary pages (home, lists, reports) 20 times a second. The
load itself is `cargo bench --bench api_load`; this script writes its
request and page files, starts `wenku serve --no-build` and prints its lines.
"""
import argparse, os, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def research_requests():
    lines = []
    for word in ["的", "坚持", "发展", "和", "改革", "人民", "建设", "工作"]:
        for year in [None, 2005, 2010, 2015, 2020]:
            q = f"q={word}" + (f"&year={year}" if year else "")
            lines += [
                f"/api/kwic?{q}",
                f"/api/kwic/next?{q}",
                f"/api/kwic/variants?{q}",
                f"/api/kwic/export?{q}&view=lines&format=csv",
                f"/api/kwic/export?{q}&view=next&format=xlsx",
            ]
    return lines


def page_paths(public):
    pages = ["/", "/years/", "/bodies/", "/search/"]
    for root, _, files in os.walk(public):
        if "index.html" in files and "_search" not in root:
            rel = os.path.relpath(root, public)
            if rel != "." and not rel.startswith(("years", "bodies", "levels", "periods", "passages")):
                pages.append("/" + rel + "/")
        if len(pages) > 200:
            break
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True)
    parser.add_argument("--wenku", default=str(REPO / "target/release/wenku"))
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--seconds", type=int, default=20)
    options = parser.parse_args()
    site = Path(options.site).resolve()
    work = Path(tempfile.mkdtemp(prefix="wenku-research-load-"))
    (work / "requests").write_text("\n".join(research_requests()) + "\n")
    (work / "pages").write_text("\n".join(page_paths(site / "public")) + "\n")
    port = free_port()
    server = subprocess.Popen(
        [options.wenku, "serve", "--no-build", "--bind", f"127.0.0.1:{port}"],
        cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"{os.cpu_count()} cores; {site.name}; research mix of {len(research_requests())} requests", flush=True)
        for connections in options.connections.split(","):
            subprocess.run(
                ["cargo", "bench", "--quiet", "--bench", "api_load", "--", f"127.0.0.1:{port}",
                 str(work / "requests"), connections, str(options.seconds), str(work / "pages")],
                cwd=REPO, check=True,
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
