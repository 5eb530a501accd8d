#!/usr/bin/env python3
"""Growth of the inputs that used to be quadratic, at doubling sizes.

    python3 benches/hardening_bench.py [--wenku target/release/wenku] [--other OLD_BINARY] [--runs 3]

For each case it writes a site with N of the thing, runs `wenku check` (or
`wenku passages`) and prints the median wall time; with --other, the same
for a second binary (an older build), side by side. Linear growth doubles
the time when N doubles; quadratic growth quadruples it.

Cases:
  passages  N reports sharing one paragraph whose numbers change in each
            (the boilerplate of a real archive): `wenku passages`
  headings  one report with N equal headings: `wenku check`
  keys      one report with N unknown front-matter keys: `wenku check`
  nesting   front matter nested N brackets deep: `wenku check`
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

HEAD = "---\ntitle: 某局2020年工作总结\nbody: 某局\nlevel: 市级\nyear: 2020\nperiod: 年度\n"


def write_passages(site, n):
    for i in range(n):
        with open(os.path.join(site, "content", f"r{i}.md"), "w") as f:
            f.write(
                f"---\ntitle: 第{i}号\nbody: 某局{i // 70}\nlevel: 市级\nyear: {1950 + i % 70}\nperiod: 年度\n---\n\n"
                f"全年共组织党组理论学习中心组集中学习{i + 3}次，开展专题研讨{i % 9 + 2}次，"
                "党员干部的理论水平和履职能力进一步提高。\n"
            )


def write_headings(site, n):
    with open(os.path.join(site, "content", "h.md"), "w") as f:
        f.write(HEAD + "---\n\n" + "## 一、总体情况\n\n正文。\n\n" * n)


def write_keys(site, n):
    with open(os.path.join(site, "content", "k.md"), "w") as f:
        f.write(HEAD + "".join(f"k{i}: v\n" for i in range(n)) + "---\n\n正文。\n")


def write_nesting(site, n):
    with open(os.path.join(site, "content", "n.md"), "w") as f:
        f.write("---\ntitle: " + "[" * n + "]" * n + "\n---\n")


CASES = {
    "passages": (write_passages, ["passages", "--limit", "1"], [1000, 2000, 4000, 8000, 16000]),
    "headings": (write_headings, ["check"], [5000, 10000, 20000, 40000]),
    "keys": (write_keys, ["check"], [5000, 10000, 20000, 40000]),
    "nesting": (write_nesting, ["check"], [12500, 25000, 50000, 100000]),
}


def time_run(binary, args, site, runs, timeout):
    times = []
    for _ in range(runs):
        started = time.monotonic()
        try:
            subprocess.run([binary, *args], cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        times.append(time.monotonic() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wenku", default="target/release/wenku")
    parser.add_argument("--other", help="a second binary to time the same way")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run counts as hung")
    parser.add_argument("--cases", default=",".join(CASES))
    options = parser.parse_args()
    binaries = [os.path.abspath(options.wenku)] + ([os.path.abspath(options.other)] if options.other else [])
    print(f"{os.cpu_count()} cores; median of {options.runs} runs, seconds")
    print("case       N        " + "  ".join(f"{b:>16}" for b in binaries))
    for name in options.cases.split(","):
        write, args, sizes = CASES[name]
        for n in sizes:
            site = tempfile.mkdtemp(prefix=f"wenku-{name}-")
            os.makedirs(os.path.join(site, "content"))
            write(site, n)
            cells = []
            for binary in binaries:
                t = time_run(binary, args, site, options.runs, options.timeout)
                cells.append(f"{t:16.2f}" if t is not None else f"{'>' + str(int(options.timeout)):>16}")
            print(f"{name:<10} {n:<8} " + "  ".join(cells), flush=True)
            shutil.rmtree(site)


if __name__ == "__main__":
    main()
