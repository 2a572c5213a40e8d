"""Helpers for the benchmark scripts: run a measurement in its own `odoo-bin shell`.

Each measurement is a snippet of Python executed in a fresh Odoo shell process (``env`` is
the shell's environment); it prints one JSON line starting with ``RESULT `` that the parent
collects. A fresh process per measurement keeps peak memory (ru_maxrss) per measurement.

``run_in_odoo`` runs against BENCH_DB (the add-ons, set up by setup/bench.sh) unless given
another database; ``plain_database`` makes a database of plain Odoo (the add-ons' Odoo
dependencies without the add-ons) from BENCH_PLAIN_TEMPLATE, the no-demo template BENCH_DB
itself was copied from, for the benchmarks that compare with plain Odoo.
"""

import json
import os
import shlex
import statistics
import subprocess
import textwrap
from contextlib import contextmanager

PRELUDE = """
import json, resource, time
def _report(**values):
    values["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(values, default=str), flush=True)
"""


def shell_command(db=None):
    """BENCH_ODOO_SHELL as a list of arguments, its database (-d) replaced by db if given."""
    tokens = shlex.split(os.environ["BENCH_ODOO_SHELL"])
    if db:
        tokens[tokens.index("-d") + 1] = db
    return tokens


def run_in_odoo(snippet, timeout=3600, db=None):
    """Run snippet in a fresh odoo shell on db (default BENCH_DB); return its RESULT."""
    code = PRELUDE + textwrap.dedent(snippet)
    completed = subprocess.run(
        shell_command(db), input=code, capture_output=True, text=True, timeout=timeout,
        check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(
        f"measurement printed no result (exit {completed.returncode}):\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")


def _data_dir():
    for token in shell_command():
        if token.startswith("--data-dir="):
            return token.split("=", 1)[1]
    raise SystemExit("no --data-dir in BENCH_ODOO_SHELL")


def _drop_database(db):
    subprocess.run(["dropdb", "--if-exists", db], check=False, stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", os.path.join(_data_dir(), "filestore", db)], check=False)


@contextmanager
def plain_database():
    """A fresh copy of BENCH_PLAIN_TEMPLATE (plain Odoo, no add-ons) and its filestore.

    Yields the database's name (BENCH_PLAIN_DB, default BENCH_DB + "_plain"), to pass as
    run_in_odoo(..., db=name); the database is dropped on exit (setup/bench.sh drops it too
    should this process be killed).
    """
    template = os.environ.get("BENCH_PLAIN_TEMPLATE")
    if not template:
        raise SystemExit("BENCH_PLAIN_TEMPLATE (the no-demo dependency database) is not set; "
                         "run through setup/bench.sh")
    db = os.environ.get("BENCH_PLAIN_DB") or os.environ["BENCH_DB"] + "_plain"
    _drop_database(db)
    subprocess.run(["createdb", "-T", template, db], check=True)
    try:
        filestore = os.path.join(_data_dir(), "filestore")
        if os.path.isdir(os.path.join(filestore, template)):
            subprocess.run(["cp", "-a", os.path.join(filestore, template),
                            os.path.join(filestore, db)], check=True)
        yield db
    finally:
        _drop_database(db)


def median(values):
    return statistics.median(values)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
