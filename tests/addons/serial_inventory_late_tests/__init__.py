"""Run the at_install tests of installed modules after the whole registry is loaded.

Odoo runs a module's at_install tests while it loads that module, with a registry holding only
the modules loaded so far: the tests of ``stock`` run before any module depending on ``stock``
(ours included) is in the registry, whether the database is loaded plainly or with ``-i``/``-u``.
They never see our overrides. Loaded as a server-wide module (``--load=base,web,
serial_inventory_late_tests``, on a database where everything is already installed, with
``--test-enable --test-tags``), this module makes the loading run no test and the post-install
run take the at_install tests first, then the post_install ones, every one of them selected by
``--test-tags`` and run with every installed module's code, as a user's server has it.
"""

import logging

from odoo.tools import config

_logger = logging.getLogger(__name__)


def post_load():
    if not config["test_enable"]:
        return
    # Imported here: the test framework complains when imported outside test mode.
    from odoo.tests import loader
    from odoo.tests.suite import OdooSuite

    make_suite = loader.make_suite

    def make_late_suite(module_names, position="at_install"):
        if position == "at_install":  # called while a module loads: nothing then
            return OdooSuite()
        return OdooSuite([*make_suite(module_names, "at_install"),
                          *make_suite(module_names, "post_install")])

    loader.make_suite = make_late_suite
    _logger.info("at_install tests run after the registry is loaded, before post_install ones")
