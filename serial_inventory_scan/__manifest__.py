{
    "name": "Serial Inventory Scanner",
    "summary": "Inventory Scanner app: one scanning core (scan log, code resolver, "
    "operations) and touch-first screens to look up and count serials",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-inventory/serial-inventory",
    "author": "Serial Inventory",
    "license": "LGPL-3",
    "depends": ["serial_inventory", "serial_inventory_labels", "barcodes", "stock"],
    "data": [
        "security/serial_inventory_scan_security.xml",
        "security/ir.model.access.csv",
        "data/serial_scan_count_data.xml",
        "views/serial_scan_views.xml",
        "views/stock_picking_type_views.xml",
        "views/serial_scan_count_views.xml",
        "views/serial_scan_menus.xml",
    ],
    "demo": [
        "demo/serial_inventory_scan_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "serial_inventory_scan/static/src/**/*",
        ],
        "web.assets_tests": [
            "serial_inventory_scan/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "serial_inventory_scan/static/tests/**/*.test.js",
        ],
    },
    "installable": True,
    "application": True,
}
