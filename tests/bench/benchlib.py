"""Helpers for the benchmark scripts: run a measurement in its own `odoo-bin shell`.

Each measurement is a snippet of Python executed in a fresh Odoo shell process (``env`` is
the shell's environment); it prints one JSON line starting with ``RESULT `` that the parent
collects. A fresh process per measurement keeps peak memory (ru_maxrss) per measurement.
"""

import json
import os
import shlex
import statistics
import subprocess
import textwrap

PRELUDE = """
import json, resource, time
def _report(**values):
    values["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(values, default=str), flush=True)
"""


def run_in_odoo(snippet, timeout=3600):
    command = shlex.split(os.environ["BENCH_ODOO_SHELL"])
    code = PRELUDE + textwrap.dedent(snippet)
    completed = subprocess.run(
        command, input=code, capture_output=True, text=True, timeout=timeout, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(
        f"measurement printed no result (exit {completed.returncode}):\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")


def median(values):
    return statistics.median(values)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
