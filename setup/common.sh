# shellcheck shell=bash
# Shared set-up functions, sourced by setup/run.sh, setup/test.sh and .ci/run.
#
# Knobs (environment variables):
#   ODOO_SRC        Odoo 18.0 server tree (default ~/.cache/odoo/18.0)
#   ODOO_SRC_URL    where to download Odoo 18.0 Community when ODOO_SRC is empty
#   SI_CACHE        cache folder for virtualenvs (default ~/.cache/serial_inventory)
#   SI_PYTHON       interpreter for the virtualenv (default python3; Odoo 18 needs 3.10-3.12)
#   PGHOST PGPORT PGUSER PGPASSWORD   PostgreSQL server and the (non-superuser) role for Odoo
#   SI_NO_SYSTEM_PACKAGES=1           never call apt-get (report what is missing instead)

SI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SI_ADDONS="serial_inventory,serial_inventory_labels,serial_inventory_dispatch,serial_inventory_scan"
SI_CACHE=${SI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serial_inventory}
ODOO_SRC=${ODOO_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/odoo/18.0}
ODOO_SRC_URL=${ODOO_SRC_URL:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}
SI_PYTHON=${SI_PYTHON:-python3}
export PGHOST=${PGHOST:-localhost}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}
export PGPASSWORD=${PGPASSWORD:-odoo}

si_log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
si_die() { printf '\033[31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly, through sudo, or not at all (returns 1).
si_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1
    fi
}

# Install Debian packages that are missing; one apt-get call for all of them.
si_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -n "${SI_NO_SYSTEM_PACKAGES:-}" ] || ! command -v apt-get >/dev/null; then
        si_die "missing system packages: ${missing[*]} (install them with your package manager)"
    fi
    si_log "installing system packages: ${missing[*]}"
    si_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || si_die "cannot run apt-get as root; install: ${missing[*]}"
    si_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || si_die "apt-get install failed for: ${missing[*]}"
}

si_is_odoo18() {
    [ -x "$1/odoo-bin" ] && grep -qE "^version_info = \(18, 0," "$1/odoo/release.py" 2>/dev/null
}

# Find the Odoo 18.0 tree, downloading it when the network allows; fail fast otherwise.
si_require_odoo() {
    si_is_odoo18 "$ODOO_SRC" && return 0
    if [ -e "$ODOO_SRC/odoo-bin" ]; then
        si_die "$ODOO_SRC holds an Odoo that is not 18.0; point ODOO_SRC at an Odoo 18.0 tree"
    fi
    si_log "no Odoo 18.0 tree at $ODOO_SRC; trying to download $ODOO_SRC_URL"
    local tmp="$ODOO_SRC.partial.$$"
    mkdir -p "$tmp"
    if command -v curl >/dev/null \
        && curl -fsSL --connect-timeout 5 --speed-limit 10000 --speed-time 20 "$ODOO_SRC_URL" \
            | tar -xz -C "$tmp" --strip-components=1 2>/dev/null \
        && si_is_odoo18 "$tmp"; then
        rm -rf "$ODOO_SRC" && mv "$tmp" "$ODOO_SRC"
        si_log "Odoo 18.0 downloaded to $ODOO_SRC"
        return 0
    fi
    rm -rf "$tmp"
    cat >&2 <<MSG
[setup] error: no Odoo 18.0 source tree, and it could not be downloaded.
  Provide one of these, then run the command again:
    - put an Odoo 18.0 Community tree (with odoo-bin) at $ODOO_SRC, e.g.
        git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
    - or set ODOO_SRC=/path/to/odoo-18.0 (a tree holding odoo-bin and addons/)
    - or set ODOO_SRC_URL to a reachable tarball of the Odoo 18.0 source.
MSG
    return 1
}

# System packages Odoo's pinned requirements need to build on Python 3.11, plus the
# report and browser tooling the tests use.
si_system_packages() {
    si_apt_install build-essential libldap2-dev libsasl2-dev libpq-dev postgresql \
        wkhtmltopdf chromium fonts-dejavu-core poppler-utils curl
}

si_hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# Create (or reuse) a virtualenv keyed by the hash of every requirement file it was built from.
# $1: "full" (Odoo + project) or "lite" (project only, for the pure-Python tests).
si_venv() {
    local kind=$1 files=("$SI_ROOT/requirements.txt" "$SI_ROOT/requirements-test.txt")
    [ "$kind" = full ] && files+=("$ODOO_SRC/requirements.txt")
    local pyver key
    pyver=$("$SI_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])') \
        || si_die "no Python interpreter '$SI_PYTHON'"
    key=$(printf '%s %s\n' "$kind" "$pyver" | cat - "${files[@]}" | sha256sum | cut -c1-16)
    SI_VENV="$SI_CACHE/venv-$kind-$key"
    export SI_VENV
    if [ -f "$SI_VENV/.complete" ]; then
        si_log "reusing virtualenv $SI_VENV"
        return 0
    fi
    si_log "building virtualenv $SI_VENV (Python $pyver; this takes a few minutes once)"
    rm -rf "$SI_VENV"
    mkdir -p "$SI_CACHE"
    "$SI_PYTHON" -m venv "$SI_VENV" || si_die "python venv failed (Debian: apt-get install python3-venv)"
    local pip=("$SI_VENV/bin/pip" install -q --disable-pip-version-check)
    # Odoo's pins build some packages from source; without these, and without
    # --no-build-isolation, cbor2 builds as version 0.0.0 on Python 3.11.
    "${pip[@]}" "setuptools<70" setuptools_scm wheel cython >&2 || si_die "pip bootstrap failed"
    if [ "$kind" = full ]; then
        "${pip[@]}" --no-build-isolation -r "$ODOO_SRC/requirements.txt" >&2 \
            || si_die "installing Odoo's requirements failed"
        # Odoo's pins act as constraints so the project's packages never move them.
        grep -vE '^\s*(#|$)' "$ODOO_SRC/requirements.txt" >"$SI_VENV/odoo-constraints.txt"
        "${pip[@]}" --no-build-isolation -c "$SI_VENV/odoo-constraints.txt" \
            -r "$SI_ROOT/requirements.txt" -r "$SI_ROOT/requirements-test.txt" >&2 \
            || si_die "installing the project's requirements failed"
    else
        "${pip[@]}" -r "$SI_ROOT/requirements.txt" -r "$SI_ROOT/requirements-test.txt" >&2 \
            || si_die "installing the project's requirements failed"
    fi
    touch "$SI_VENV/.complete"
}

# Start PostgreSQL when it is stopped and create the non-superuser role Odoo connects as.
si_postgres() {
    if ! command -v pg_ctlcluster >/dev/null && ! command -v pg_ctl >/dev/null; then
        si_apt_install postgresql
    fi
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
        [ "$PGHOST" = localhost ] || [ "$PGHOST" = 127.0.0.1 ] \
            || si_die "PostgreSQL at $PGHOST:$PGPORT does not answer"
        si_log "starting PostgreSQL"
        local version cluster
        read -r version cluster _ < <(pg_lsclusters -h 2>/dev/null | head -n 1)
        if [ -z "$version" ]; then
            version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
            si_as_root pg_createcluster "$version" main >/dev/null \
                || si_die "cannot create a PostgreSQL cluster"
            cluster=main
        fi
        si_as_root pg_ctlcluster "$version" "$cluster" start \
            || si_die "cannot start PostgreSQL $version/$cluster (run as root or with sudo)"
        for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 0.5; done
        pg_isready -q -h "$PGHOST" -p "$PGPORT" || si_die "PostgreSQL did not start"
    fi
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        si_log "creating PostgreSQL role '$PGUSER' (CREATEDB, not superuser)"
        local sql="DO \$\$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER') THEN
                CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
            ELSE ALTER ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'; END IF; END \$\$;"
        if [ "$(id -u)" = 0 ]; then
            su postgres -c "env -u PGHOST -u PGUSER -u PGPASSWORD psql -q -d postgres -p $PGPORT" \
                <<<"$sql" >/dev/null
        else
            sudo -n -u postgres env -u PGHOST -u PGUSER -u PGPASSWORD \
                psql -q -d postgres -p "$PGPORT" <<<"$sql" >/dev/null
        fi || si_die "cannot create role $PGUSER; create it yourself (LOGIN CREATEDB) and set PGUSER/PGPASSWORD"
        psql -d postgres -tAc 'select 1' >/dev/null || si_die "cannot connect as $PGUSER"
    fi
}

# Extra add-on folders (comma-separated) that si_odoo appends to its addons path. Empty here,
# whatever the environment says, so run.sh, check_install.sh and bench.sh never see them; a
# caller sets it for one call only, as setup/test.sh does for its test-only add-ons:
#   SI_EXTRA_ADDONS_PATH="$SI_TEST_ADDONS" si_odoo ...
SI_EXTRA_ADDONS_PATH=""
# Test-only add-ons, never shipped: installed next to ours in setup/test.sh's test database.
SI_TEST_ADDONS="$SI_ROOT/tests/addons"
SI_TEST_NEIGHBOURS="serial_inventory_neighbour"

si_odoo() {  # [shell] OPTIONS...: odoo-bin with the project's addons path and database
    local subcommand=()
    if [ "${1:-}" = shell ]; then subcommand=(shell); shift; fi
    local addons_path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$SI_ROOT"
    if [ -n "$SI_EXTRA_ADDONS_PATH" ]; then addons_path+=",$SI_EXTRA_ADDONS_PATH"; fi
    "$SI_VENV/bin/python" "$ODOO_SRC/odoo-bin" "${subcommand[@]}" \
        --addons-path="$addons_path" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" \
        "$@"
}

SI_DATA_DIR=${SI_DATA_DIR:-$SI_CACHE/data}
SI_DEPENDENCIES="stock_account,product_expiry,barcodes_gs1_nomenclature,sale_stock"

# A database holding the add-ons' Odoo dependencies (with demo data), built once and copied
# for every throw-away database: installing stock and sale takes minutes, copying seconds.
# $1: "demo" (default) or "nodemo" for a database without any demo data.
si_base_db() {
    local key variant=${1:-demo} demo_option=()
    key=$(cat "$ODOO_SRC/odoo/release.py" \
        "$ODOO_SRC"/addons/{stock,stock_account,product_expiry,sale_stock}/__manifest__.py \
        <(echo "$SI_DEPENDENCIES") | sha256sum | cut -c1-10)
    SI_BASE_DB="si_base_$key"
    if [ "$variant" = nodemo ]; then
        SI_BASE_DB="si_base_nodemo_$key"
        demo_option=(--without-demo=all)
    fi
    if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$SI_BASE_DB'" \
        | grep -q 1 && [ -d "$SI_DATA_DIR/filestore/$SI_BASE_DB" ]; then
        si_log "reusing dependency database $SI_BASE_DB"
        return 0
    fi
    si_log "building dependency database $SI_BASE_DB ($SI_DEPENDENCIES; once, a few minutes)"
    dropdb --if-exists "$SI_BASE_DB" 2>/dev/null || true
    local log="$SI_CACHE/$SI_BASE_DB.log"
    si_odoo -d "$SI_BASE_DB" --data-dir="$SI_DATA_DIR" -i "$SI_DEPENDENCIES" "${demo_option[@]}" \
        --stop-after-init --http-port="$(si_free_port)" --log-level=warn >"$log" 2>&1 \
        || { tail -n 30 "$log" >&2; si_die "installing Odoo dependencies failed (log: $log)"; }
}

# Copy the dependency database (and its filestore) to a new database named $1.
si_copy_db() {
    local name=$1
    si_drop_db "$name"
    createdb -T "$SI_BASE_DB" "$name" || si_die "cannot create database $name"
    mkdir -p "$SI_DATA_DIR/filestore"
    cp -a "$SI_DATA_DIR/filestore/$SI_BASE_DB" "$SI_DATA_DIR/filestore/$name"
}

si_drop_db() {
    dropdb --if-exists "$1" 2>/dev/null || true
    rm -rf "${SI_DATA_DIR:?}/filestore/$1"
}

si_free_port() {
    "$SI_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
