#!/usr/bin/env bash
# Runs a benchmark script from tests/bench/ against a fresh database holding the add-ons
# (no demo data, so figures do not depend on it). Benchmarks print figures; they never
# assert on timings. Those comparing with plain Odoo make, in the same run, a copy of the
# same no-demo template without the add-ons (BENCH_PLAIN_TEMPLATE, benchlib.plain_database).
#
#   setup/bench.sh serial_generation [ARGS...]   tests/bench/bench_serial_generation.py
#   setup/bench.sh serial_lookup [ARGS...]       tests/bench/bench_serial_lookup.py
#   setup/bench.sh receipt [COUNT...]            receiving N serials end to end: plain Odoo,
#                                                add-ons with Odoo's buttons, add-ons with
#                                                Number serials (e.g. 1000 10000 100000)
#       BENCH_PATHS=plain,odoo,project           the paths measured (default: all three)
#       BENCH_PLAIN_MAX=N BENCH_ODOO_MAX=N       skip plain / odoo above N units
#                                                (defaults: plain above 10000, odoo never)
#       BENCH_PROFILE=1                          cProfile of each measurement
#   setup/bench.sh orm_floor [COUNT...]          the ORM's batched creates of N lots and 2N
#                                                quants alone, plain Odoo and add-ons: the
#                                                floor of any receiving path (default 10000)
#   setup/bench.sh dispatch_validation [N...]    validating a reserved N-serial delivery,
#                                                plain Odoo vs the add-ons (default 5000 20000)
#       BENCH_REPEATS=3                          median of 3 deliveries per count (default 1)
#   setup/bench.sh count [UNITS [SCANS]]         counting a location of UNITS serials with the
#                                                scanner's Count (default 10000), then applying
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"
name=${1:?usage: setup/bench.sh NAME [ARGS...] (see tests/bench/)}
shift
script="$SI_ROOT/tests/bench/bench_$name.py"
[ -f "$script" ] || si_die "no benchmark $script"
si_require_odoo || exit 2
si_system_packages
si_venv full
si_postgres
si_base_db nodemo
# Benchmarks comparing with plain Odoo (receipt, dispatch_validation) copy this template
# to BENCH_PLAIN_DB; it is dropped here too, should the script be killed.
export BENCH_PLAIN_TEMPLATE="$SI_BASE_DB"
db="si_bench_$$"
export BENCH_PLAIN_DB="${db}_plain"
trap 'si_drop_db "$db"; si_drop_db "$BENCH_PLAIN_DB"' EXIT
si_copy_db "$db"
si_odoo -d "$db" --data-dir="$SI_DATA_DIR" -i "$SI_ADDONS" --stop-after-init \
    --http-port="$(si_free_port)" --log-level=warn >"$SI_CACHE/$db.log" 2>&1 \
    || { tail -n 20 "$SI_CACHE/$db.log"; si_die "installing the add-ons failed"; }
# The script re-invokes odoo shell for each measurement (BENCH_ODOO_SHELL) so that every
# measurement has its own process and its own peak memory.
export BENCH_DB="$db"
export BENCH_ODOO_SHELL="$SI_VENV/bin/python $ODOO_SRC/odoo-bin shell \
--addons-path=$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$SI_ROOT --db_host=$PGHOST \
--db_port=$PGPORT --db_user=$PGUSER --db_password=$PGPASSWORD --data-dir=$SI_DATA_DIR \
-d $db --no-http --log-level=warn"
"$SI_VENV/bin/python" "${BENCH_SCRIPT:-$script}" "$@"
