#!/usr/bin/env bash
# Regenerates the translation templates (i18n/<module>.pot) of the add-ons in SI_ADDONS with
# Odoo's own exporter, merges them into the French, German and Spanish catalogues (i18n/fr.po,
# de.po, es.po) so new terms appear untranslated and obsolete ones go (kept aside in
# $SI_CACHE/i18n-dropped: a message that comes back gets its translation back), then prints per
# module and language how many terms still need a translation.
#
#   setup/i18n.sh                 export from a throw-away database (made and dropped here)
#   setup/i18n.sh --db NAME       export from NAME, an existing database holding the add-ons
#                                 and up to date (-u); only read, its demo records' terms are
#                                 left out all the same
#   setup/i18n.sh --no-export     keep the .pot files, only merge and count (seconds, no Odoo)
#   setup/i18n.sh --langs fr,de   other languages (default fr,de,es)
#   setup/i18n.sh --list          also print the untranslated and fuzzy terms themselves
#
# Exit status: 0 when every catalogue compiles (msgfmt -c), 1 otherwise; untranslated terms are
# reported, not an error (serial_inventory/tests/test_translations.py is the check that fails).
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"

db="" export=1 langs="fr,de,es" list=""
while [ $# -gt 0 ]; do
    case $1 in
        --db) db=$2; shift ;;
        --no-export) export="" ;;
        --langs) langs=$2; shift ;;
        --list) list=1 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) si_die "unknown option $1 (see --help)" ;;
    esac
    shift
done

si_apt_install gettext

# Odoo's exporter (odoo/tools/translate.py, the reader and writer --i18n-export uses) run once in
# an odoo shell for the three modules: one registry load instead of three. A template whose
# terms did not change keeps its old file, so a re-run leaves no date-only diff behind.
export_templates() {
    local export_db=$1
    # The test-only add-ons' folder is on the path so a test database (made with them) loads.
    (SI_EXTRA_ADDONS_PATH="$SI_TEST_ADDONS" SI_I18N_ROOT="$SI_ROOT" SI_I18N_MODULES="$SI_ADDONS" \
        si_odoo shell -d "$export_db" --data-dir="$SI_DATA_DIR" --no-http --log-level=warn <<'PY'
import io
import os
import re
import sys

from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tools.translate import TranslationFileWriter, TranslationModuleReader

root = os.environ["SI_I18N_ROOT"]
modules = os.environ["SI_I18N_MODULES"].split(",")
installed = set(env["ir.module.module"].search(
    [("name", "in", modules), ("state", "=", "installed")]).mapped("name"))
missing = sorted(set(modules) - installed)
if missing:
    print("i18n: not installed in this database: %s" % ", ".join(missing), file=sys.stderr)
    sys.exit(3)
dates = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.M)


# Odoo's templates carry no demo data terms (see addons/stock/i18n/stock.pot): in a database
# with demo data, the records of the manifest's demo files (and the parent records of their
# _inherits, <id>_<parent table>) are left out. Same rule as demo_xmlids() in
# serial_inventory/tests/test_translations.py, which cannot be imported outside a test run.
def demo_xmlids(module):
    xmlids = set()
    for demo_file in get_manifest(module).get("demo", []):
        if not demo_file.endswith(".xml"):
            continue
        path = os.path.join(get_module_path(module), demo_file)
        for node in etree.parse(path).iter("record", "template", "menuitem"):
            xmlid = node.get("id")
            if not xmlid:
                continue
            xmlid = xmlid if "." in xmlid else f"{module}.{xmlid}"
            xmlids.add(xmlid)
            model = env.get(node.get("model") or "")
            for parent in (model._inherits if model is not None else {}):
                xmlids.add(f"{xmlid}_{env[parent]._table}")
    return xmlids


for module in modules:
    demo_ids = demo_xmlids(module)
    rows = [row for row in TranslationModuleReader(env.cr, [module])
            if not (row[1] in ("model", "model_terms") and row[3] in demo_ids)]
    buffer = io.BytesIO()
    TranslationFileWriter(buffer, fileformat="po", lang=None).write_rows(rows)
    content = buffer.getvalue()
    path = os.path.join(root, module, "i18n", module + ".pot")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = b""
    if os.path.exists(path):
        with open(path, "rb") as template:
            old = template.read()
    if dates.sub(b"", old) == dates.sub(b"", content):
        print("i18n: %s.pot unchanged" % module)
        continue
    with open(path, "wb") as template:
        template.write(content)
    print("i18n: %s.pot written" % module)
PY
    ) | tee /dev/stderr | grep -c '^i18n: .*\.pot \(written\|unchanged\)$' \
        | grep -qx "$(wc -w <<<"${SI_ADDONS//,/ }")" || si_die "exporting the templates failed"
}

if [ -n "$export" ]; then
    si_require_odoo || exit 2
    si_venv full
    export PATH="$SI_VENV/bin:$PATH"
    si_postgres
    if [ -n "$db" ]; then
        si_log "views, fields and menus come from $db's records: update it (-u) after code changes"
        export_templates "$db"
    else
        # Without demo data, as Odoo builds its own templates: demo records are not translated.
        si_base_db nodemo
        db="si_i18n_$$"
        trap 'si_drop_db "$db"' EXIT
        si_copy_db "$db"
        si_log "installing $SI_ADDONS in $db"
        si_odoo -d "$db" --data-dir="$SI_DATA_DIR" -i "$SI_ADDONS" --stop-after-init \
            --no-http --log-level=warn >"$SI_CACHE/$db.log" 2>&1 \
            || { tail -n 30 "$SI_CACHE/$db.log" >&2; si_die "installing the add-ons failed"; }
        export_templates "$db"
    fi
fi

# The msgids of a catalogue read on stdin, one a line (continuation lines joined), header left out.
list_msgids() {
    awk -v prefix="    $1" '
        /^msgid / { in_id = 1; text = substr($0, 7); next }
        /^msgstr/ { if (in_id && text != "\"\"") print prefix text; in_id = 0; next }
        in_id && /^"/ {
            text = (text == "\"\"") ? $0 : substr(text, 1, length(text) - 1) substr($0, 2) }'
}

status=0
printf '%-28s %-4s %10s %12s %6s\n' module lang translated untranslated fuzzy
for module in ${SI_ADDONS//,/ }; do
    dir="$SI_ROOT/$module/i18n"
    pot="$dir/$module.pot"
    if [ ! -f "$pot" ]; then
        si_log "$module has no template yet: run setup/i18n.sh without --no-export"
        status=1
        continue
    fi
    for lang in ${langs//,/ }; do
        po="$dir/$lang.po"
        if [ ! -f "$po" ]; then
            msginit --no-translator --locale="$lang" --input="$pot" --output-file="$po" \
                2>/dev/null
        fi
        # Exact matches only: a changed message starts empty rather than with a fuzzy guess
        # that Odoo would ignore anyway; obsolete (#~) entries are dropped from the catalogue.
        # They are kept in a compendium outside the repository, though: a message that comes
        # back (a template exported from a stale database, a wording restored) gets its
        # translation back on the next run.
        dropped="$SI_CACHE/i18n-dropped/$module.$lang.po"
        compendium=()
        [ -s "$dropped" ] && compendium=(--compendium="$dropped")
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "${compendium[@]}" \
            "$po" "$pot"
        obsolete=$(mktemp)
        msgattrib --only-obsolete --clear-obsolete --translated --output-file="$obsolete" "$po"
        if [ -s "$obsolete" ]; then  # msgattrib writes nothing when no message is obsolete
            mkdir -p "$(dirname "$dropped")"
            kept=("$obsolete")
            [ -s "$dropped" ] && kept+=("$dropped")
            msgcat --use-first --output-file="$dropped.new" "${kept[@]}"
            mv "$dropped.new" "$dropped"
        fi
        rm -f "$obsolete"
        msgattrib --no-obsolete --output-file="$po" "$po"
        stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$po" 2>&1) \
            || { echo "$stats" >&2; status=1; }
        count() { grep -oE "[0-9]+ $1" <<<"$stats" | cut -d' ' -f1 || true; }
        translated=$(count translated) fuzzy=$(count fuzzy) untranslated=$(count untranslated)
        printf '%-28s %-4s %10s %12s %6s\n' "$module" "$lang" "${translated:-0}" \
            "${untranslated:-0}" "${fuzzy:-0}"
        if [ -n "$list" ]; then
            { msgattrib --only-fuzzy --no-location "$po" | list_msgids "fuzzy: "
              msgattrib --untranslated --no-location "$po" | list_msgids ""; }
        fi
    done
done
exit $status
