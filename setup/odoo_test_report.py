"""Read an Odoo test log and say, strictly, whether the project's tests passed.

Odoo reports success for a browser tour it skipped (no Chrome, no websocket-client) and
logs many problems only as ERROR lines; this reader fails on any of them.

Usage: odoo_test_report.py LOG MODULE[,MODULE...] [COUNTS_FILE]
  prints a summary, writes "<tests run> <failed or skipped>" to COUNTS_FILE, exits 0 or 1.
"""

import re
import sys

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): "
    r"(?P<message>.*)$"
)
STAT_METHOD = re.compile(r"^\s+(?P<test>[\w.]+): [\d.]+s \d+ queries$")


def classify(method_name):
    if "tour" in method_name:
        return "tours"
    if "hoot" in method_name or method_name.startswith("test_js"):
        return "js"
    return "odoo"


def analyse(lines, modules):
    counts = {"odoo": 0, "tours": 0, "js": 0}
    failures, skipped, problems = [], [], []
    module_prefixes = tuple(f"odoo.addons.{module}" for module in modules)
    in_stats = False
    for raw in lines:
        line = raw.rstrip("\n")
        match = LINE.match(line)
        if match:
            in_stats = match["logger"] == "odoo.tests.stats" and "Detailed" in match["message"]
            level, logger, message = match["level"], match["logger"], match["message"]
            ours = logger.startswith(module_prefixes)
            if level in ("ERROR", "CRITICAL"):
                (failures if message.startswith(("FAIL", "ERROR")) else problems).append(line)
            elif level == "WARNING" and (ours or any(m in message for m in modules)):
                problems.append(line)
            elif level == "INFO" and ours and message.startswith("skipped "):
                skipped.append(line)
            continue
        if in_stats:
            stat = STAT_METHOD.match(line)
            if stat:
                # module.test_file.Class.test_method (module, class and fixtures too)
                parts = stat["test"].split(".")
                if len(parts) == 4 and parts[0] in modules and parts[3].startswith("test"):
                    counts[classify(parts[3])] += 1
    return counts, failures, skipped, problems


def main(argv):
    log_path, modules = argv[1], argv[2].split(",")
    with open(log_path, encoding="utf-8", errors="replace") as log:
        counts, failures, skipped, problems = analyse(log, modules)
    for title, lines in (("failed", failures), ("skipped", skipped),
                         ("errors and warnings", problems)):
        if lines:
            print(f"--- {len(lines)} {title}:")
            print("\n".join(lines[:40]))
    total = sum(counts.values())
    if len(argv) > 3:
        with open(argv[3], "w", encoding="utf-8") as counts_file:
            counts_file.write(f"{total} {min(total, len(failures) + len(skipped))}\n")
    print(
        f"odoo: {counts['odoo']} python, {counts['tours']} tours, {counts['js']} js tests; "
        f"{len(failures)} failed, {len(skipped)} skipped, {len(problems)} log problems"
    )
    if total == 0:
        print("odoo: no test ran (is the detailed stats report missing?)")
        return 1
    return 1 if failures or skipped or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
