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
#   setup/test.sh --host-suites        also run Odoo's own suites of the modules our add-ons
#                                      extend, with our add-ons installed (long: tens of minutes)
#   setup/test.sh --host-suites-plain  also run those suites the same way without our add-ons,
#                                      to tell Odoo's own failures from ours (not in TOTAL)
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"

python_only="" modules=$SI_ADDONS install_checks=1 keep_db="" host_suites=""
while [ $# -gt 0 ]; do
    case $1 in
        --python-only) python_only=1 ;;
        --module) modules=$2; shift ;;
        --no-install-checks) install_checks="" ;;
        --keep-db) keep_db=1 ;;
        --host-suites) host_suites+=" addons" ;;
        --host-suites-plain) host_suites+=" plain" ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) si_die "unknown option $1 (see --help)" ;;
    esac
    shift
done
if [ -n "$python_only" ] && [ -n "$host_suites" ]; then
    si_die "--host-suites runs Odoo: it cannot go with --python-only"
fi

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

# Add an Odoo test log's counts (setup/odoo_test_report.py) to the summary under $1.
# $2: the log, $3: the modules whose tests count; $4: "no-total" to show the line only.
odoo_report() {
    local label=$1 log=$2 counted=$3 in_total=${4:-} counts_file count bad ok=1
    counts_file=$(mktemp)
    python "$SI_ROOT/setup/odoo_test_report.py" "$log" "$counted" "$counts_file" || ok=""
    read -r count bad <"$counts_file" || { count=0; bad=1; }
    rm -f "$counts_file"
    if [ "$in_total" = no-total ]; then
        results+=("$label: $((count - bad)) passed, $bad failed or skipped (not in TOTAL)")
        return 0
    fi
    results+=("$label: $((count - bad)) passed, $bad failed or skipped")
    passed=$((passed + count - bad))
    failed=$((failed + bad))
    if [ -z "$ok" ]; then
        status=1
        [ "$bad" != 0 ] || failed=$((failed + 1))  # log problems, or no test ran
    fi
}

# --- lint -------------------------------------------------------------------------------
si_log "lint: ruff and pylint-odoo"
lint_ok=1
(cd "$SI_ROOT" && ruff check --quiet .) || lint_ok=""
(cd "$SI_ROOT" && pylint --rcfile=.pylintrc --score=n serial_inventory serial_inventory_labels \
    serial_inventory_dispatch serial_inventory_scan) || lint_ok=""
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
    odoo_report odoo "$log" "$modules"
    [ -n "$keep_db" ] || si_drop_db "$db"

    if [ -n "$install_checks" ] && [ "$modules" = "$SI_ADDONS" ]; then
        if "$SI_ROOT/setup/check_install.sh"; then
            results+=("install checks: passed")
        else
            results+=("install checks: FAILED"); status=1; failed=$((failed + 1))
        fi
    fi
fi

# --- host suites: Odoo's own tests of the modules our add-ons extend (--host-suites) ------
# Odoo runs a module's at_install tests while loading it, when no module depending on it is in
# the registry yet: on a database holding our add-ons, stock's tests would run without our code
# (with -i, -u or neither), and only the few post_install tests would see it. Our add-ons are
# installed first, without tests, in a fresh copy of the dependency database; then the
# server-wide module serial_inventory_late_tests (tests/addons) makes Odoo run every selected
# test, at_install then post_install, once the whole registry is loaded. "plain" does the same
# without our add-ons: a test failing there fails on Odoo alone.
host_modules="stock,stock_account,sale_stock,product_expiry,barcodes_gs1_nomenclature"
for variant in $host_suites; do
    host_start=$(date +%s)
    host_db="si_host_${variant}_$$"
    host_log="$SI_CACHE/$host_db.log"
    si_postgres
    si_base_db
    si_copy_db "$host_db"
    host_label="host suites" host_total=""
    if [ "$variant" = plain ]; then
        host_label="host suites without our add-ons" host_total=no-total
    fi
    if [ "$variant" = addons ] && ! si_odoo -d "$host_db" --data-dir="$SI_DATA_DIR" \
        -i "$SI_ADDONS" --stop-after-init --http-port="$(si_free_port)" --log-level=warn \
        >"$host_log.install" 2>&1; then
        results+=("host suites: installing $SI_ADDONS FAILED (log: $host_log.install)")
        status=1; failed=$((failed + 1))
    else
        host_tags=$(printf '/%s,' ${host_modules//,/ }); host_tags=${host_tags%,}
        si_log "$host_label: Odoo tests of $host_modules in database $host_db (log: $host_log)"
        SI_EXTRA_ADDONS_PATH="$SI_TEST_ADDONS" si_odoo -d "$host_db" --data-dir="$SI_DATA_DIR" \
            --load=base,web,serial_inventory_late_tests --test-enable --test-tags "$host_tags" \
            --stop-after-init --http-port="$(si_free_port)" --log-level=info \
            --log-handler=odoo.tests.stats:DEBUG >"$host_log" 2>&1 || true
        odoo_report "$host_label ($(( $(date +%s) - host_start )) s)" "$host_log" \
            "$host_modules" ${host_total:+"$host_total"}
    fi
    [ -n "$keep_db" ] || si_drop_db "$host_db"
done

echo
echo "================ Serial Inventory test summary ($(( $(date +%s) - start )) s) ================"
printf '  %s\n' "${results[@]}"
echo "TOTAL: $passed passed, $failed failed"
exit $status
