#!/usr/bin/env bash
# The project's test command: lint, pure-Python tests, then the Odoo suites of the three
# add-ons (Python tests, browser tours, JS tests) in a fresh throw-away database, then the
# install/uninstall checks. Sets up everything it needs first (see setup/common.sh).
#
#   setup/test.sh                      everything
#   setup/test.sh --module NAME        only NAME's Odoo tests (after lint and pytest)
#   setup/test.sh --python-only        lint and pure-Python tests, no Odoo
#   setup/test.sh --no-install-checks  skip the install/uninstall checks
#   setup/test.sh --keep-db            keep the test database for inspection
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"

python_only="" modules=$SI_ADDONS install_checks=1 keep_db=""
while [ $# -gt 0 ]; do
    case $1 in
        --python-only) python_only=1 ;;
        --module) modules=$2; shift ;;
        --no-install-checks) install_checks="" ;;
        --keep-db) keep_db=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) si_die "unknown option $1 (see --help)" ;;
    esac
    shift
done

start=$(date +%s)
if [ -z "$python_only" ]; then
    si_require_odoo || exit 2
    si_system_packages
    si_venv full
else
    si_venv lite
fi
export PATH="$SI_VENV/bin:$PATH"
results=()
status=0

# --- lint -------------------------------------------------------------------------------
si_log "lint: ruff and pylint-odoo"
lint_ok=1
(cd "$SI_ROOT" && ruff check --quiet .) || lint_ok=""
(cd "$SI_ROOT" && pylint --rcfile=.pylintrc --score=n serial_inventory serial_inventory_labels \
    serial_inventory_dispatch) || lint_ok=""
if [ -n "$lint_ok" ]; then results+=("lint: passed"); else results+=("lint: FAILED"); status=1; fi

# --- pure-Python tests ------------------------------------------------------------------
si_log "pure-Python tests (pytest)"
junit=$(mktemp --suffix=.xml)
(cd "$SI_ROOT" && python -m pytest tests -q -rs -p no:cacheprovider --junitxml="$junit") \
    || true
read -r py_total py_failed py_skipped < <(python - "$junit" <<'PY'
import sys
import xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
total = int(suite.get("tests", 0))
failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
print(total, failed, int(suite.get("skipped", 0)))
PY
) || { py_total=0; py_failed=1; py_skipped=0; }
rm -f "$junit"
results+=("pytest: $((py_total - py_failed - py_skipped)) passed, $py_failed failed, $py_skipped skipped")
if [ "$py_total" = 0 ] || [ "$py_failed" != 0 ] || [ "$py_skipped" != 0 ]; then status=1; fi
passed=$((py_total - py_failed - py_skipped))
failed=$((py_failed + py_skipped))

# --- Odoo suites ------------------------------------------------------------------------
if [ -z "$python_only" ]; then
    si_postgres
    si_base_db
    db="si_test_$$"
    si_copy_db "$db"
    log="$SI_CACHE/$db.log"
    tags=$(printf '/%s,' ${modules//,/ }); tags=${tags%,}
    si_log "Odoo tests of $modules in database $db (log: $log)"
    # chromium from Debian is found by Odoo's browser tests; websocket-client drives it.
    # The test-only neighbour add-on (tests/addons) is installed too, as a real company's
    # third-party module would be; --test-tags still selects only our add-ons' tests.
    SI_EXTRA_ADDONS_PATH="$SI_TEST_ADDONS" si_odoo -d "$db" --data-dir="$SI_DATA_DIR" \
        -i "$modules,$SI_TEST_NEIGHBOURS" --test-enable \
        --test-tags "$tags" --stop-after-init --http-port="$(si_free_port)" \
        --log-level=info --log-handler=odoo.tests.stats:DEBUG >"$log" 2>&1 || true
    counts_file=$(mktemp)
    odoo_ok=1
    python "$SI_ROOT/setup/odoo_test_report.py" "$log" "$modules" "$counts_file" || odoo_ok=""
    read -r odoo_count odoo_failed <"$counts_file" || { odoo_count=0; odoo_failed=1; }
    rm -f "$counts_file"
    results+=("odoo: $((odoo_count - odoo_failed)) passed, $odoo_failed failed or skipped")
    passed=$((passed + odoo_count - odoo_failed))
    failed=$((failed + odoo_failed))
    if [ -z "$odoo_ok" ]; then
        status=1
        [ "$odoo_failed" != 0 ] || failed=$((failed + 1))  # log problems, or no test ran
    fi
    [ -n "$keep_db" ] || si_drop_db "$db"

    if [ -n "$install_checks" ] && [ "$modules" = "$SI_ADDONS" ]; then
        if "$SI_ROOT/setup/check_install.sh"; then
            results+=("install checks: passed")
        else
            results+=("install checks: FAILED"); status=1; failed=$((failed + 1))
        fi
    fi
fi

echo
echo "================ Serial Inventory test summary ($(( $(date +%s) - start )) s) ================"
printf '  %s\n' "${results[@]}"
echo "TOTAL: $passed passed, $failed failed"
exit $status
