from urllib.parse import quote

from odoo.tests import HttpCase, tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialPublicPage(HttpCase, RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({"name": "Public Check Phone", "list_price": 777.77,
                           "standard_price": 432.19})
        cls.holder = cls.env["res.partner"].create(
            {"name": "Jane Secretcustomer", "city": "Hiddenville"})
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf Zeta-42", "location_id": cls.stock_location.id})
        cls.config = cls._authenticity_config(public_check_enabled=True)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("serial_inventory.public_verify_limit", "6")
        params.set_param("serial_inventory.public_verify_window", "3600")

    def _receive_on_shelf(self, names):
        receipt = self._create_picking(self.picking_type_in, self.supplier_location,
                                       self.shelf, [(self.product, len(names))])
        for line, name in zip(receipt.move_line_ids, names, strict=True):
            line.lot_name = name
        self._validate(receipt)
        return receipt.move_line_ids.lot_id.sorted("name")

    def _check(self, serial):
        return self.url_open(f"/serial/verify?serial={serial}")

    def test_public_page_says_genuine_or_unknown_and_nothing_else(self):
        delivered, recalled, kept = self._receive_on_shelf(["PUB-1", "PUB-2", "PUB-3"])
        delivery = self._deliver(delivered, self.holder)
        recall = self._recall(recalled, "Secret recall reason")
        recall.action_open()

        form = self.url_open("/serial/verify")
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="serial"', form.text)
        # The visitor sees whose check this is: the company's name and logo.
        company = self.config.company_id
        self.assertIn(f'data-company="{company.id}"', form.text)
        self.assertIn(company.name, form.text)
        if company.logo:
            self.assertIn(f"/web/image/res.company/{company.id}/logo", form.text)
        forbidden = ["Jane Secretcustomer", "Hiddenville", "777.77", "777,77", "432.19",
                     "Shelf Zeta-42", self.shelf.complete_name, "Secret recall reason",
                     delivery.name, recall.name, self.other_customer.name]
        for serial, verdict in (("PUB-1", "genuine"), ("PUB-2", "genuine"),
                                ("PUB-3", "genuine"), ("PUB-404", "unknown")):
            response = self._check(serial)
            self.assertEqual(response.status_code, 200, serial)
            self.assertIn(f'data-verdict="{verdict}"', response.text, serial)
            self.assertIn(serial, response.text)
            if verdict == "genuine":
                self.assertIn("Public Check Phone", response.text)
            else:
                self.assertNotIn("Public Check Phone", response.text)
            for secret in forbidden:
                self.assertNotIn(secret, response.text, f"{serial} page shows {secret}")

        # Every check is logged, with the full verdict, for the company only.
        logged = self.env["serial.verification"].search(
            [("source", "=", "public")], order="id")
        self.assertEqual([(v.serial, v.result) for v in logged],
                         [("PUB-1", "delivered"), ("PUB-2", "recalled"), ("PUB-3", "genuine"),
                          ("PUB-404", "unknown")])
        self.assertEqual(set(logged.mapped("remote_addr")), {"127.0.0.1"})
        self.assertEqual(logged.company_id, self.env.company)
        self.assertEqual(logged.user_id, self.env.ref("base.public_user"))
        self.assertEqual(kept.serial_verification_ids.source, "public")

        # The address has 6 checks per window: 4 used, 2 left, then refused.
        self.assertEqual(self._check("PUB-3").status_code, 200)
        self.assertEqual(self._check("PUB-3").status_code, 200)
        refused = self._check("PUB-3")
        self.assertEqual(refused.status_code, 429)
        self.assertIn('data-verdict="limited"', refused.text)
        self.assertIn("Too many checks", refused.text)
        self.assertNotIn("Public Check Phone", refused.text)
        self.assertEqual(self.env["serial.verification"].search_count(
            [("source", "=", "public")]), 6)
        # The counter lives in the database, shared by every worker.
        counter = self.env["serial.public.rate"].search([("remote_addr", "=", "127.0.0.1")])
        self.assertEqual(counter.hits, 7)

    def test_page_is_off_unless_the_company_opts_in(self):
        self._receive_on_shelf(["PUB-OFF"])
        self.config.public_check_enabled = False
        response = self._check("PUB-OFF")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-verdict="disabled"', response.text)
        self.assertNotIn("Public Check Phone", response.text)
        self.assertFalse(self.env["serial.verification"].search([("serial", "=", "PUB-OFF")]))

    def test_control_characters_and_overlong_text_are_refused_on_the_page_and_counted(self):
        self._receive_on_shelf(["PUB-OK"])
        Rate = self.env["serial.public.rate"]
        Verification = self.env["serial.verification"]
        cases = [
            ("%00", "\\x00", "character 1"),
            ("PUB-OK%00", "\\x00", "character 7"),
            ("PUB%0AOK", "\\x0a", "character 4"),
            ("PUB%7FOK", "\\x7f", "character 4"),
            ("PUB%E2%80%AEOK", "\\u202e", "character 4"),
            ("A" * 129, "at most 128 characters", "has 129"),
        ]
        with self.assertNoLogs("odoo", level="ERROR"):
            for number, (query, *fragments) in enumerate(cases, start=1):
                response = self._check(query)
                self.assertEqual(response.status_code, 400, query)
                self.assertIn('data-verdict="invalid"', response.text, query)
                self.assertIn("is not a serial", response.text, query)
                for fragment in fragments:
                    self.assertIn(fragment, response.text, query)
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn("Public Check Phone", response.text)
                # Counted against the address like any check, and nothing looked up.
                self.env.invalidate_all()
                self.assertEqual(Rate.search([("remote_addr", "=", "127.0.0.1")]).hits,
                                 number, query)
            self.assertFalse(Verification.search([("source", "=", "public")]))
            # The limit (6 per window) is reached by refused text as by serials.
            for query in ("%00", "PUB-OK"):
                refused = self._check(query)
                self.assertEqual(refused.status_code, 429, query)
                self.assertIn('data-verdict="limited"', refused.text)
            self.assertFalse(Verification.search([("source", "=", "public")]))

    def test_a_gs1_group_separator_is_part_of_a_scanned_code_not_refused(self):
        self._receive_on_shelf(["PUB-GS1"])
        # (01) a GTIN, then (21) the serial, then FNC1 and (10) a lot: a raw GS1 scan.
        response = self._check(quote("010950600013435221PUB-GS1\x1d10LOT7"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn('data-verdict="invalid"', response.text)
        self.assertEqual(self.env["serial.verification"].search_count(
            [("source", "=", "public")]), 1)
