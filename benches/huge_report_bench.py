#!/usr/bin/env python3
"""Time and peak memory of one huge report, at doubling sizes.

    python3 benches/huge_report_bench.py [--wenku target/release/wenku] [--other OLD_BINARY] [--sizes 8,16,32,64]

The report is the worst case for the comparison with its predecessor: N MB
of 30 common characters drawn at random, without punctuation, after three
ordinary reports of the same body (so it has a predecessor, formulations and
a static-index document of N/3 million tokens). For each size it runs
`wenku check` and a fresh `wenku build` and prints the wall time and the
peak resident memory (the child's, from wait4). Linear growth doubles both
when N doubles.
"""

import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time

COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对"


def write_site(site, megabytes):
    os.makedirs(os.path.join(site, "content"))
    with open(os.path.join(site, "wenku.yaml"), "w") as f:
        f.write("title: 基准\nlanguage: zh-CN\n")
    rng = random.Random(1)
    for year in (2020, 2021, 2022):
        with open(os.path.join(site, "content", f"r{year}.md"), "w") as f:
            text = "".join(rng.choice(COMMON) for _ in range(3000))
            f.write(f"---\ntitle: 某局{year}年工作总结\nbody: 某局\nlevel: 区县级\nyear: {year}\nperiod: 年度\n---\n\n{text}。\n")
    chars = megabytes * 1_000_000 // 3 - 100
    with open(os.path.join(site, "content", "huge.md"), "w") as f:
        f.write("---\ntitle: 某局2023年工作总结\nbody: 某局\nlevel: 区县级\nyear: 2023\nperiod: 年度\n---\n\n")
        for _ in range(chars // 1_000_000):
            f.write("".join(rng.choices(COMMON, k=1_000_000)))
        f.write("".join(rng.choices(COMMON, k=chars % 1_000_000)) + "\n")


def measure(binary, args, site):
    started = time.monotonic()
    process = subprocess.Popen([binary, *args], cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    ok = os.waitstatus_to_exitcode(status) == 0
    return f"{seconds:7.1f} s {usage.ru_maxrss / 1024:6.0f} MB" + ("" if ok else " FAILED")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wenku", default="target/release/wenku")
    parser.add_argument("--other", help="a second binary to measure the same way")
    parser.add_argument("--sizes", default="8,16,32,64", help="report sizes in MB")
    options = parser.parse_args()
    binaries = [os.path.abspath(options.wenku)] + ([os.path.abspath(options.other)] if options.other else [])
    print(f"{os.cpu_count()} cores; wall time and peak resident memory of one run")
    print("MB   command  " + "  ".join(f"{os.path.basename(os.path.dirname(b)) or b:>24}" for b in binaries))
    for megabytes in map(int, options.sizes.split(",")):
        site = tempfile.mkdtemp(prefix="wenku-huge-")
        write_site(site, megabytes)
        for command in (["check"], ["build"]):
            cells = []
            for binary in binaries:
                for leftover in ("public", "search-index"):
                    shutil.rmtree(os.path.join(site, leftover), ignore_errors=True)
                cells.append(f"{measure(binary, command, site):>24}")
            print(f"{megabytes:<4} {command[0]:<8} " + "  ".join(cells), flush=True)
        shutil.rmtree(site)


if __name__ == "__main__":
    main()
