"""The registry client against the real demo SOAP service, over HTTP on loopback.

Nothing is mocked: each test starts the service on a free port of 127.0.0.1 in a thread and
talks to it through zeep, so the shipped WSDL, the client and the service are checked together.
"""

import contextlib
import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from lxml import etree

from serial_inventory.lib import registry_client, registry_service

USER = "demo"
PASSWORD = "demo-secret"
MADE_ON = datetime.date(2024, 5, 17)


@contextlib.contextmanager
def running_registry(db_path, **options):
    server = registry_service.make_server("127.0.0.1", 0, db_path, USER, PASSWORD, **options)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "registry-state.sqlite3"


@pytest.fixture
def registry(db_path):
    with running_registry(db_path) as server:
        yield server


def client_for(endpoint_url, password=PASSWORD, timeout=5.0, wsdl=None):
    client = registry_client.RegistryClient(
        wsdl or registry_client.SHIPPED_WSDL_PATH, endpoint_url, USER, password, timeout=timeout
    )
    return contextlib.closing(client)


def unit(serial, product="05012345678900", batch="B-7"):
    return {
        "serial": serial,
        "product_reference": product,
        "manufacture_date": MADE_ON,
        "batch": batch,
    }


def test_registered_serial_verifies_as_genuine(registry):
    with client_for(registry.url) as client:
        statuses = client.register_serials([unit("SN-0001"), unit("SN-0002", batch=None)])
        genuine = client.verify_serial("SN-0001")
        without_batch = client.verify_serial("SN-0002")

    assert statuses == {"SN-0001": "accepted", "SN-0002": "accepted"}
    assert genuine == {
        "serial": "SN-0001",
        "status": "genuine",
        "product_reference": "05012345678900",
        "manufacture_date": MADE_ON,
        "batch": "B-7",
        "recall_reason": None,
    }
    assert without_batch["status"] == "genuine"
    assert without_batch["batch"] is None


def test_unregistered_serial_is_unknown(registry):
    with client_for(registry.url) as client:
        answer = client.verify_serial("NEVER-SEEN")

    assert answer["status"] == "unknown"
    assert answer["product_reference"] is None
    assert answer["manufacture_date"] is None


def test_registering_again_for_the_same_product_is_accepted(registry):
    with client_for(registry.url) as client:
        client.register_serials([unit("SN-0010")])
        # Sent again as an Odoo export would: the date as text, no batch this time.
        again = client.register_serials(
            [
                {
                    "serial": "SN-0010",
                    "product_reference": "05012345678900",
                    "manufacture_date": "2024-05-17",
                }
            ]
        )
        answer = client.verify_serial("SN-0010")

    assert again == {"SN-0010": "accepted"}
    # The first registration's data stands.
    assert answer["batch"] == "B-7"


def test_registering_for_another_product_is_a_duplicate(registry):
    with client_for(registry.url) as client:
        client.register_serials([unit("SN-0020", product="05012345678900")])
        statuses = client.register_serials(
            [unit("SN-0020", product="09999999999999"), unit("SN-0021")]
        )
        answer = client.verify_serial("SN-0020")

    assert statuses == {"SN-0020": "duplicate", "SN-0021": "accepted"}
    assert answer["product_reference"] == "05012345678900"


def test_invalid_units_are_rejected_one_by_one(registry):
    next_year = datetime.date.today().replace(day=1) + datetime.timedelta(days=400)
    with client_for(registry.url) as client:
        statuses = client.register_serials(
            [
                unit("HAS SPACE"),
                {**unit("SN-FUTURE"), "manufacture_date": next_year},
                unit("X" * 65),
                unit("SN-FINE"),
            ]
        )

    assert statuses == {
        "HAS SPACE": "rejected",
        "SN-FUTURE": "rejected",
        "X" * 65: "rejected",
        "SN-FINE": "accepted",
    }


def test_batches_larger_than_one_call_are_split(registry):
    serials = [f"BULK-{number:05d}" for number in range(registry_client.MAX_SERIALS_PER_CALL + 1)]
    with client_for(registry.url) as client:
        statuses = client.register_serials(unit(serial) for serial in serials)
        recalled = client.report_recall(serials, "Batch recall")

    assert len(statuses) == len(serials)
    assert set(statuses.values()) == {"accepted"}
    assert recalled == len(serials)


def test_stolen_unit_verifies_as_stolen(registry):
    with client_for(registry.url) as client:
        client.register_serials([unit("SN-0030")])
        acknowledged = client.report_stolen("SN-0030", "Taken from the van on 2024-06-01")
        answer = client.verify_serial("SN-0030")
        unknown_acknowledged = client.report_stolen("NEVER-SEEN")

    assert acknowledged is True
    assert answer["status"] == "stolen"
    assert unknown_acknowledged is False


def test_recall_counts_known_serials_and_stolen_wins(registry):
    with client_for(registry.url) as client:
        client.register_serials([unit("SN-0040"), unit("SN-0041"), unit("SN-0042")])
        client.report_stolen("SN-0042")
        recalled = client.report_recall(
            ["SN-0040", "SN-0041", "SN-0042", "NEVER-SEEN", "SN-0040"], "Faulty capacitor"
        )
        recalled_answer = client.verify_serial("SN-0040")
        stolen_answer = client.verify_serial("SN-0042")
        nothing_recalled = client.report_recall([], "No serials at all")

    assert recalled == 3
    assert recalled_answer["status"] == "recalled"
    assert recalled_answer["recall_reason"] == "Faulty capacitor"
    assert stolen_answer["status"] == "stolen"
    assert nothing_recalled == 0


def test_wrong_password_is_rejected(registry):
    with (
        client_for(registry.url, password="wrong") as client,
        pytest.raises(registry_client.RegistryRejected) as raised,
    ):
        client.verify_serial("SN-0050")

    message = str(raised.value)
    assert registry.url in message
    assert "SN-0050" in message
    assert "Authentication failed" in message
    assert raised.value.serial == "SN-0050"


def test_request_the_service_refuses_is_rejected(registry):
    with (
        client_for(registry.url) as client,
        pytest.raises(registry_client.RegistryRejected, match="needs a reason"),
    ):
        client.report_recall(["SN-0060"], "   ")


def test_wrong_endpoint_path_is_rejected(registry):
    wrong_endpoint = registry.url.replace("/serial-registry", "/registry")
    with (
        client_for(wrong_endpoint) as client,
        pytest.raises(registry_client.RegistryRejected, match="HTTP error 404"),
    ):
        client.verify_serial("SN-0065")


def test_malformed_envelope_gets_a_soap_client_fault(registry):
    response = requests.post(
        registry.url,
        data=b"<not-soap/>",
        headers={"Content-Type": "text/xml; charset=utf-8"},
        timeout=5,
    )

    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body/"
        "{http://schemas.xmlsoap.org/soap/envelope/}Fault"
    )
    assert fault.findtext("faultcode") == "soapenv:Client"
    assert "not a SOAP 1.1 envelope" in fault.findtext("faultstring")


def test_served_wsdl_is_the_shipped_contract_at_its_own_address(registry):
    served = requests.get(f"{registry.url}?wsdl", timeout=5)
    shipped = etree.parse(str(registry_client.SHIPPED_WSDL_PATH))
    served_document = etree.fromstring(served.content)
    address_tag = "{http://schemas.xmlsoap.org/wsdl/soap/}address"

    assert served_document.find(f".//{address_tag}").get("location") == registry.url
    for document in (served_document, shipped.getroot()):
        document.find(f".//{address_tag}").set("location", "")
    assert etree.tostring(served_document, method="c14n") == etree.tostring(
        shipped.getroot(), method="c14n"
    )
    # A client can also be built from the served WSDL.
    with client_for(registry.url, wsdl=f"{registry.url}?wsdl") as client:
        assert client.verify_serial("NEVER-SEEN")["status"] == "unknown"


def test_stopped_service_is_unavailable_at_once(db_path):
    with running_registry(db_path) as server:
        endpoint_url = server.url

    started = time.monotonic()
    with (
        client_for(endpoint_url, timeout=5.0) as client,
        pytest.raises(registry_client.RegistryUnavailable) as raised,
    ):
        client.verify_serial("SN-0070")

    assert time.monotonic() - started < 2.0
    assert endpoint_url in str(raised.value)
    assert "could not be reached" in str(raised.value)


def test_slow_service_is_unavailable_after_the_timeout(db_path):
    with running_registry(db_path, delay_seconds=10.0) as server:
        started = time.monotonic()
        with (
            client_for(server.url, timeout=0.5) as client,
            pytest.raises(registry_client.RegistryUnavailable) as raised,
        ):
            client.verify_serial("SN-0080")
        elapsed = time.monotonic() - started

    assert 0.4 < elapsed < 3.0
    assert "did not answer within 0.5 seconds" in str(raised.value)


class _OverloadedHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"Service Unavailable"
        self.send_response(503)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def test_http_server_error_is_unavailable():
    # A real HTTP server that answers 503, like a registry behind an overloaded proxy.
    overloaded = ThreadingHTTPServer(("127.0.0.1", 0), _OverloadedHandler)
    serving = threading.Thread(target=overloaded.serve_forever, daemon=True)
    serving.start()
    try:
        host, port = overloaded.server_address
        with (
            client_for(f"http://{host}:{port}/serial-registry") as client,
            pytest.raises(registry_client.RegistryUnavailable, match="HTTP error 503"),
        ):
            client.verify_serial("SN-0090")
    finally:
        overloaded.shutdown()
        overloaded.server_close()
        serving.join()


def test_restarted_service_keeps_its_state(db_path):
    with running_registry(db_path) as server, client_for(server.url) as client:
        client.register_serials([unit("SN-0100"), unit("SN-0101")])
        client.report_stolen("SN-0101")

    with running_registry(db_path) as server, client_for(server.url) as client:
        genuine = client.verify_serial("SN-0100")
        stolen = client.verify_serial("SN-0101")
        duplicate = client.register_serials([unit("SN-0100", product="09999999999999")])

    assert genuine["status"] == "genuine"
    assert genuine["manufacture_date"] == MADE_ON
    assert stolen["status"] == "stolen"
    assert duplicate == {"SN-0100": "duplicate"}


def test_service_refuses_to_listen_beyond_loopback(db_path):
    for host in ("0.0.0.0", "192.0.2.10", "example.org", "::"):
        with pytest.raises(ValueError, match="loopback"):
            registry_service.make_server(host, 0, db_path, USER, PASSWORD)


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:1/%%%", "ftp://x", "javascript:alert(1)", "http://[::1",
     "http://127.0.0.1:99999/serial-registry", ""],
)
def test_an_address_that_can_never_work_is_refused_before_any_call(endpoint):
    with pytest.raises(ValueError, match="cannot be used"):
        registry_client.RegistryClient(
            registry_client.SHIPPED_WSDL_PATH, endpoint, USER, PASSWORD)


def test_an_address_requests_cannot_use_is_rejected_not_retried():
    # Should an unusable address reach requests (here changed after the client's own
    # check), the error says the request can never be sent: rejected, not unavailable.
    with client_for("http://127.0.0.1:8/serial-registry") as client:
        client.endpoint_url = "http://127.0.0.1:99999/serial-registry"
        with pytest.raises(registry_client.RegistryRejected, match="cannot be used"):
            client.verify_serial("SN-0200")
