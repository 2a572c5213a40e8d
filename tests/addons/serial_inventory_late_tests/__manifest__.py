# Test tooling, never installed and never shipped: a server-wide module (odoo-bin --load) that
# setup/test.sh --host-suites loads to run Odoo's own suites with our add-ons' code loaded.
{
    "name": "Serial Inventory late tests",
    "summary": "Test tooling: runs the at_install tests after the whole registry is loaded",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Serial Inventory",
    "license": "LGPL-3",
    "depends": ["base"],
    "installable": False,
    "application": False,
    "post_load": "post_load",
}
