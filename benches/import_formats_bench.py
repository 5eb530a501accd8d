#!/usr/bin/env python3
"""Import figures for issue 12: time per file of each format, OCR character
accuracy on rasterised pages of real reports, the pasted-material scores and
the import time of 1,000 pasted files.

    python3 benches/import_formats_bench.py [--copies 8] [--pasted 1000]

Needs `cargo build --release`, LibreOffice, poppler and tesseract (`.ci/run`
installs them) and ../shared (corpus and bench scripts).
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WENKU_SHARED", REPO.parent / "shared"))
WENKU = REPO / "target/release/wenku"


def run(cmd, cwd=None):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)


def soffice(src, fmt, outdir):
    profile = f"-env:UserInstallation=file://{outdir}/profile"
    run(["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", outdir, src])


def image_pdf(jpeg, dpi):
    """An image-only PDF holding one JPEG page, as a scanner writes it."""
    i = 2
    while True:
        marker, length = jpeg[i + 1], int.from_bytes(jpeg[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            h, w, comps = int.from_bytes(jpeg[i + 5:i + 7], "big"), int.from_bytes(jpeg[i + 7:i + 9], "big"), jpeg[i + 9]
            break
        i += 2 + length
    pw, ph = w * 72 / dpi, h * 72 / dpi
    cs = "/DeviceGray" if comps == 1 else "/DeviceRGB"
    content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\nstream\n".encode() + jpeg + b"\nendstream",
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"]
    out, offs = b"%PDF-1.4\n", []
    for n, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{n} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    return out + f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()


def letters(s):
    return [c for c in s if c.isalnum()]


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def body_of(md):
    return md.split("\n---\n", 1)[1]


def timed_import(inputs, site):
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    start = time.perf_counter()
    proc = run([WENKU, "import", *inputs, "--force"], cwd=site)
    return time.perf_counter() - start, proc.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=8, help="files per format")
    ap.add_argument("--pasted", type=int, default=1000)
    a = ap.parse_args()
    print(f"{os.cpu_count()} cores; wenku import with LibreOffice, poppler and tesseract")
    work = Path(tempfile.mkdtemp(prefix="wenku-formats-"))
    try:
        # Real reports as .txt (the first 40 paragraphs of provincial reports).
        reports = sorted((SHARED / "corpus/provincial-2026/txt").glob("*.txt"))[: a.copies]
        src = work / "src"
        src.mkdir()
        for i, r in enumerate(reports):
            lines = [l for l in r.read_text(encoding="utf-8").splitlines() if len(l.strip()) > 1][9:50]
            (src / f"r{i}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        # Every format from the same texts: LibreOffice writes docx, then doc, rtf, odt, pdf, html from it.
        fmt_dirs = {}
        for fmt in ["docx", "doc", "rtf", "odt", "pdf", "html"]:
            d = work / fmt
            d.mkdir()
            fmt_dirs[fmt] = d
        for t in sorted(src.glob("*.txt")):
            soffice(t, "docx:MS Word 2007 XML", fmt_dirs["docx"])
        for fmt in ["doc", "rtf", "odt", "pdf", "html"]:
            for docx in sorted(fmt_dirs["docx"].glob("*.docx")):
                soffice(docx, fmt, fmt_dirs[fmt])
        for d in fmt_dirs.values():
            shutil.rmtree(d / "profile", ignore_errors=True)
        fmt_dirs["wps"] = work / "wps"
        fmt_dirs["wps"].mkdir()
        for doc in fmt_dirs["doc"].glob("*.doc"):
            shutil.copy(doc, fmt_dirs["wps"] / (doc.stem + ".wps"))
        # Scans: page 1 of each PDF at 300 dpi, as an image-only PDF.
        scans = work / "scan"
        scans.mkdir()
        for pdf in sorted(fmt_dirs["pdf"].glob("*.pdf")):
            run(["pdftoppm", "-r", "300", "-gray", "-jpeg", "-singlefile", "-f", "1", "-l", "1", pdf, scans / pdf.stem])
            jpg = scans / (pdf.stem + ".jpg")
            (scans / (pdf.stem + ".pdf")).write_bytes(image_pdf(jpg.read_bytes(), 300))
            jpg.unlink()
        fmt_dirs["scan"] = scans

        site = work / "site"
        print(f"\n{'format':<8} {'files':>5} {'total s':>8} {'s/file':>7}")
        for fmt, d in fmt_dirs.items():
            files = sorted(p for p in d.iterdir() if p.is_file())
            seconds, out = timed_import(files, site)
            ok = len(re.findall(r"^imported .* \(", out, re.M))
            print(f"{fmt:<8} {ok:>5} {seconds:>8.2f} {seconds / max(ok, 1):>7.2f}")

        # OCR accuracy: the scan's text against the text layer of the same page.
        accuracies = []
        for pdf in sorted(fmt_dirs["pdf"].glob("*.pdf")):
            truth = run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"]).stdout
            _, _ = timed_import([scans / pdf.name], site)
            md = next((site / "content").rglob("*.md")).read_text(encoding="utf-8")
            got = body_of(md)
            t = letters(truth)
            # The title line becomes front matter: compare against the page without it.
            title = re.search(r'^title: "(.*)"$', md, re.M).group(1)
            t = letters(truth.replace(title, "", 1))
            accuracies.append(1 - levenshtein(t, letters(got)) / len(t))
        print(f"\nOCR character accuracy (page 1, 300 dpi, chi_sim): mean {100 * sum(accuracies) / len(accuracies):.1f}%, "
              f"min {100 * min(accuracies):.1f}% over {len(accuracies)} pages")

        # Pasted material: the two wordings, and 1,000 files timed.
        for gen, seed in [(SHARED / "bench/make_pasted.py", "2020"), (REPO / "benches/pasted_other_wording.py", "5")]:
            out = work / "pasted"
            shutil.rmtree(out, ignore_errors=True)
            run([sys.executable, gen, out, "--count", "200", "--seed", seed])
            timed_import([out], site)
            score = run([sys.executable, SHARED / "bench/check_pasted.py", out / "truth.json", site / "content"]).stdout
            print(f"\n{gen.name} (200 files, seed {seed}):\n" + "\n".join(l for l in score.splitlines() if ":" in l and "wrong" not in l))
        out = work / "pasted"
        shutil.rmtree(out, ignore_errors=True)
        run([sys.executable, SHARED / "bench/make_pasted.py", out, "--count", str(a.pasted)])
        n = len(list(out.glob("*.txt")))
        times = [timed_import([out], site)[0] for _ in range(3)]
        print(f"\n{n} pasted files: import {min(times):.2f} s (best of 3), {n / min(times):.0f} files/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
