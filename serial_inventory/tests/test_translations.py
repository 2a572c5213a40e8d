"""The add-ons' French, German and Spanish catalogues cover every term the code exports today,
keep its placeholders, and reach the user once the language is installed."""

import os
import re
from collections import Counter

import polib
from lxml import etree

from odoo.exceptions import UserError
from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

LANGS = ("fr", "de", "es")

# %s, %(name)s, %d ... ; {name} ; the tag names and QWeb expressions of inline markup.
PLACEHOLDER = re.compile(
    r"%%|%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdifr]"
    r"|\{[\w.]*\}"
    r"|</?[\w:-]+"
    r"|\bt-[\w-]+=\"[^\"]*\""
)


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text or ""))


def demo_xmlids(env, module):
    """The external ids the manifest's demo files create: their terms are demo data, which
    Odoo's templates leave untranslated. A demo record of a model with ``_inherits`` also names
    its parent records (``<id>_<parent table>``, as Odoo's XML loader does)."""
    manifest = get_manifest(module)
    module_path = get_module_path(module)
    xmlids = set()
    for demo_file in manifest.get("demo", []):
        path = os.path.join(module_path, demo_file)
        if not path.endswith(".xml"):
            continue
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


def is_demo_row(row, demo_ids):
    """Whether a TranslationModuleReader row comes from a demo record."""
    _module, term_type, _name, res_id, *_rest = row
    return term_type in ("model", "model_terms") and res_id in demo_ids


def exported_terms(env, module):
    """The terms Odoo's exporter finds for ``module`` today, demo records left out."""
    demo_ids = demo_xmlids(env, module)
    return {row[4] for row in TranslationModuleReader(env.cr, [module])
            if not is_demo_row(row, demo_ids)}


def catalogue(module, lang):
    path = os.path.join(get_module_path(module), "i18n", f"{lang}.po")
    return polib.pofile(path) if os.path.exists(path) else None


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):

    def _installed_addons(self):
        """The project's add-ons installed here: the modules next to serial_inventory (the
        test-only add-ons under tests/addons are not shipped, hence not translated)."""
        project = os.path.dirname(get_module_path("serial_inventory"))
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "serial\\_inventory%"), ("state", "=", "installed")])
        return sorted(module.name for module in modules
                      if os.path.dirname(get_module_path(module.name) or "") == project)

    def test_every_exported_term_is_translated(self):
        problems = []
        for module in self._installed_addons():
            terms = exported_terms(self.env, module)
            self.assertTrue(terms, f"{module} exports no term")
            for lang in LANGS:
                po = catalogue(module, lang)
                if po is None:
                    problems.append(f"{module}/i18n/{lang}.po is missing")
                    continue
                entries = {entry.msgid: entry for entry in po if not entry.obsolete}
                missing = sorted(
                    term for term in terms
                    if term not in entries or not entries[term].msgstr.strip()
                    or "fuzzy" in entries[term].flags)
                problems.extend(f"{module}/i18n/{lang}.po: no translation of {term!r}"
                                for term in missing)
        if problems:
            self.fail("untranslated terms (run setup/i18n.sh, then translate):\n"
                      + "\n".join(problems))

    def test_translations_keep_the_placeholders(self):
        problems = []
        for module in self._installed_addons():
            for lang in LANGS:
                for entry in catalogue(module, lang) or ():
                    if entry.obsolete or not entry.msgstr:
                        continue
                    expected, found = placeholders(entry.msgid), placeholders(entry.msgstr)
                    if expected != found:
                        problems.append(
                            f"{module}/i18n/{lang}.po: {entry.msgid!r} -> {entry.msgstr!r}: "
                            f"expected {sorted(expected.elements())}, "
                            f"found {sorted(found.elements())}")
        if problems:
            self.fail("translations that change placeholders:\n" + "\n".join(problems))

    def test_french_reaches_the_user(self):
        """Installing French loads the catalogues as a module install does: menus, the serial
        status and the messages of refused actions then read in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            self._installed_addons(), ["fr_FR"], overwrite=True)
        french = self.env(context=dict(self.env.context, lang="fr_FR"))

        menu = french.ref("serial_inventory.menu_serial_inventory_lots")
        self.assertEqual(menu.name, "Numéros de série")

        states = dict(french["stock.lot"].fields_get(["serial_state"])["serial_state"]["selection"])
        self.assertEqual(states["in_stock"], "En stock")
        self.assertEqual(states["delivered"], "Livré")

        batch = self.env["serial.batch"].create({"name": "B-FR-1"})
        with self.assertRaises(UserError) as refused:
            batch.with_context(lang="fr_FR").action_serial_recall()
        self.assertEqual(str(refused.exception.args[0]),
                         "Le lot de fabrication B-FR-1 n'a aucun numéro de série à rappeler.")
