{
    "name": "Serial Inventory Labels",
    "summary": "Barcode labels for serials: sheet and thermal formats, GS1-128, QR, ZPL",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serial-inventory/serial-inventory",
    "author": "Serial Inventory",
    "license": "LGPL-3",
    "depends": ["serial_inventory"],
    "external_dependencies": {"python": ["python-barcode", "qrcode"]},
    "data": [
        "security/serial_inventory_labels_security.xml",
        "security/ir.model.access.csv",
        "data/serial_label_format_data.xml",
        "views/serial_label_format_views.xml",
    ],
    "installable": True,
}
