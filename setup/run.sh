#!/usr/bin/env bash
# The main job: set up (or reuse) a demo database with the three add-ons and their demo
# data, and serve Odoo on http://localhost:8069 (login admin / admin).
#
#   setup/run.sh [--db NAME] [--port PORT] [--reset]
#   The demo database defaults to serial_inventory_demo; --reset rebuilds it.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"

db=${SI_DEMO_DB:-serial_inventory_demo} port=${SI_HTTP_PORT:-8069} reset=""
while [ $# -gt 0 ]; do
    case $1 in
        --db) db=$2; shift ;;
        --port) port=$2; shift ;;
        --reset) reset=1 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) si_die "unknown option $1 (see --help)" ;;
    esac
    shift
done

si_require_odoo || exit 2
si_system_packages
si_venv full
si_postgres
[ -z "$reset" ] || si_drop_db "$db"
if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    si_log "reusing demo database $db (updating the add-ons)"
    update=(-u "$SI_ADDONS")
else
    si_base_db
    si_copy_db "$db"
    si_log "installing the add-ons with demo data into $db"
    update=(-i "$SI_ADDONS")
fi
si_odoo -d "$db" --data-dir="$SI_DATA_DIR" "${update[@]}" --stop-after-init \
    --http-port="$(si_free_port)" --log-level=warn
si_log "serving database $db"
echo
echo "    Serial Inventory demo: http://localhost:$port/web/login?db=$db"
echo "    database: $db    login: admin    password: admin"
echo
exec "$SI_VENV/bin/python" "$ODOO_SRC/odoo-bin" \
    --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$SI_ROOT" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" \
    --data-dir="$SI_DATA_DIR" -d "$db" --db-filter="^$db\$" --http-port="$port" \
    --http-interface=127.0.0.1
