#!/usr/bin/env bash
# Install each add-on alone (with its dependencies) and all three together in fresh
# databases, and uninstall them; fail on any WARNING, ERROR or CRITICAL line in the logs.
#
# Installs are checked with demo data, and again without any. Uninstalls are checked on the
# databases without demo data: the demo receipts and deliveries leave stock history (done
# moves, quants) that, by Odoo's design, keeps their products from being deleted.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"
si_require_odoo || exit 2
si_venv full
si_postgres
si_base_db nodemo
base_nodemo=$SI_BASE_DB
si_base_db demo
base_demo=$SI_BASE_DB

status=0
check_log() {  # $1: log file, $2: what it was
    local problems
    problems=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" || true)
    if [ -n "$problems" ]; then
        echo "install check: $2: problems in $1:"; echo "$problems" | head -n 20
        status=1
    else
        echo "install check: $2: clean"
    fi
}

install() {  # $1: database, $2: modules, $3: "demo" or "nodemo"
    if [ "$3" = nodemo ]; then SI_BASE_DB=$base_nodemo; else SI_BASE_DB=$base_demo; fi
    si_copy_db "$1"
    si_odoo -d "$1" --data-dir="$SI_DATA_DIR" -i "$2" --stop-after-init \
        --http-port="$(si_free_port)" --log-level=info >"$SI_CACHE/$1-install.log" 2>&1 \
        || status=1
    check_log "$SI_CACHE/$1-install.log" "install $2 ($3)"
}

for modules in serial_inventory serial_inventory_labels serial_inventory_dispatch serial_inventory_scan "$SI_ADDONS"; do
    db="si_install_$$"
    install "$db" "$modules" demo
    si_drop_db "$db"
    install "$db" "$modules" nodemo
    log="$SI_CACHE/$db-uninstall.log"
    si_odoo shell -d "$db" --data-dir="$SI_DATA_DIR" --no-http --log-level=info \
        >"$log" 2>&1 <<PY || status=1
names = "$SI_ADDONS".split(",")
env["ir.module.module"].search([("name", "in", names), ("state", "=", "installed")]).button_immediate_uninstall()
env.cr.commit()
left = env["ir.module.module"].search([("name", "in", names), ("state", "!=", "uninstalled")])
print("NOT UNINSTALLED:", left.mapped("name")) if left else print("UNINSTALLED OK")
PY
    grep -q "UNINSTALLED OK" "$log" || { echo "install check: uninstall $modules failed"; status=1; }
    check_log "$log" "uninstall $modules"
    si_drop_db "$db"
done
exit $status

