# Test-only add-on: never shipped (it lives under tests/addons, outside the addons path of
# setup/run.sh and setup/check_install.sh); setup/test.sh installs it next to ours.
{
    "name": "Serial Inventory test neighbour",
    "summary": "Test probe: an ordinary third-party add-on on lots, quants and move lines "
    "(per-record defaults, create/write overrides, stored related and computed fields)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Serial Inventory",
    "license": "LGPL-3",
    "depends": ["stock"],
    "data": [
        "security/ir.model.access.csv",
        "data/neighbour_tag_data.xml",
    ],
    "installable": True,
    "application": False,
}
