"""Makes the add-ons' plain-Python parts (``<addon>/lib``) importable by pytest without Odoo.

An add-on's ``__init__`` imports its Odoo models, so each add-on folder is registered as a
bare package: ``serial_inventory.lib`` then imports from its files and nothing imports Odoo.
"""

import sys
import types
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDON_NAMES = ("serial_inventory", "serial_inventory_labels", "serial_inventory_dispatch")

for addon_name in ADDON_NAMES:
    if addon_name not in sys.modules:
        bare_package = types.ModuleType(addon_name)
        bare_package.__path__ = [str(REPO_ROOT / addon_name)]
        sys.modules[addon_name] = bare_package
