{
    "name": "Serial Inventory Dispatch",
    "summary": "Scan serials to dispatch delivery orders, create orders and transfers",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-inventory/serial-inventory",
    "author": "Serial Inventory",
    "license": "LGPL-3",
    "depends": ["serial_inventory_scan", "sale_stock"],
    "data": [
        "security/serial_inventory_dispatch_security.xml",
        "security/ir.model.access.csv",
        "views/serial_scan_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "wizard/serial_scan_wizard_views.xml",
    ],
    "demo": [
        "demo/serial_inventory_dispatch_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "serial_inventory_dispatch/static/src/**/*",
        ],
        "web.assets_tests": [
            "serial_inventory_dispatch/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "serial_inventory_dispatch/static/tests/**/*.test.js",
        ],
    },
    "installable": True,
}
