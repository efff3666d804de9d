"""The JSON Schemas of helper events (docs/schema/*.json, docs/json.md
"Schemas"): they are valid draft 2020-12 schemas, every event type that
docs/json.md documents has one, the complete examples of docs/json.md
validate, and events that break the documented shape are rejected (so the
validation every helper of the tests runs, tests/checks.py, can fail)."""
import copy
import json
import os
import re
import sys

import jsonschema
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
JSON_MD = os.path.join(TOP, "docs", "json.md")


def _doc():
    with open(JSON_MD) as fh:
        return fh.read()


def test_schemas_are_valid_draft_2020_12():
    schemas = checks.load_schemas()
    assert "common" in schemas and "ack" in schemas, sorted(schemas)
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        assert schema["$id"] == checks.SCHEMA_BASE + name + ".json", name
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_documented_event_type_has_a_schema():
    documented = set(re.findall(r'"type": "([a-z -]+)"', _doc()))
    # packets events are named after the message (docs/json.md "Header")
    documented |= {"route refresh"}
    assert {"state", "update", "open", "notification", "graceful-restart"} <= documented, documented
    schemas = checks.load_schemas()
    for t in documented:
        assert t in checks.SCHEMA_OF_TYPE, t
        assert checks.SCHEMA_OF_TYPE[t] in schemas, t
    # and every schema file is used for some event (or the acks / shared defs)
    used = set(checks.SCHEMA_OF_TYPE.values()) | {"ack", "common"}
    assert set(schemas) == used, set(schemas) ^ used
    # docs/json.md lists every file
    for name in schemas:
        assert "docs/schema/%s.json" % name in _doc(), name


DOC_HEADER = '{ "exabgp": "4.0.1", "time": 1795644765.4489248, "host" : "vm", "pid" : 7846, "ppid" : 7845, "counter": 2, '
DOC_NEIGHBOR = ('"neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, '
                '"asn": { "local": 65533, "peer": 65533 } ')


def _documented_examples():
    """The example events of docs/json.md, the abbreviated ones ("{ ... "
    for the header, NEIGHBOR for the neighbor) completed as the text says."""
    out = []
    for line in _doc().splitlines():
        if line.startswith('{ "exabgp"') and "..." not in line:
            out.append(line)
        elif line.startswith('{ ... "type"') and "NEIGHBOR" in line:
            out.append(line.replace("{ ... ", DOC_HEADER).replace("NEIGHBOR", DOC_NEIGHBOR))
    return out


def test_documented_examples_validate():
    examples = _documented_examples()
    assert len(examples) >= 15, examples
    for line in examples:
        assert checks.validate_event(json.loads(line)) is None, (line, checks.validate_event(json.loads(line)))


HEADER = {"exabgp": "4.0.1", "time": 1795644765.4489248, "host": "vm", "pid": 7846, "ppid": 7845, "counter": 2}
NEIGHBOR = {"address": {"local": "127.0.0.1", "peer": "127.0.0.2"}, "asn": {"local": 65000, "peer": 65001}}


def _event(type_, **neighbor):
    ev = dict(HEADER, type=type_)
    ev["neighbor"] = dict(copy.deepcopy(NEIGHBOR), **neighbor)
    return ev


def _update(announce):
    return _event("update", direction="receive",
                  message={"update": {"attribute": {"origin": "igp", "local-preference": 100}, "announce": announce}})


VALID = {
    "state up": _event("state", state="up"),
    "state down": _event("state", state="down", reason="peer reset"),
    "unicast": _update({"ipv4 unicast": {"10.0.0.1": [{"nlri": "10.1.0.0/16"}]}}),
    "compact": _update({"ipv6 unicast": {"2001:db8::1": ["2001:db8:1::/48"]}}),
    "vpn": _update({"ipv4 mpls-vpn": {"10.0.0.1": [{"nlri": "10.1.1.0/24", "label": [[100]], "rd": "65000:1"}]}}),
    "eor": _event("update", direction="receive", message={"eor": {"afi": "ipv4", "safi": "unicast"}}),
    "raw": _event("route refresh", direction="send",
                  message={"category": 5, "header": "0x" + "F" * 32 + "001705", "body": "0x00010001"}),
    "ack": {"answer": "done", "message": "command completed"},
}

INVALID = {
    "no type": {k: v for k, v in VALID["state up"].items() if k != "type"},
    "unknown type": dict(VALID["state up"], type="gossip"),
    "no neighbor address": dict(VALID["state up"], neighbor={"asn": NEIGHBOR["asn"], "state": "up"}),
    "unknown state": _event("state", state="sideways"),
    "down without reason": _event("state", state="down"),
    "extra top key": dict(VALID["state up"], extra=1),
    "asn as string": _event("state", state="up", asn={"local": "65000", "peer": 65001}),
    "bad origin": _update({"ipv4 unicast": {"10.0.0.1": [{"nlri": "10.1.0.0/16"}]}}),
    "route with unknown key": _update({"ipv4 unicast": {"10.0.0.1": [{"nlri": "10.1.0.0/16", "colour": 1}]}}),
    "vpn route without rd": _update({"ipv4 mpls-vpn": {"10.0.0.1": [{"nlri": "10.1.1.0/24", "label": [[100]]}]}}),
    "evpn unknown name": _update({"l2vpn evpn": {"10.0.0.1": [{"code": 2, "parsed": True, "raw": "02", "name": "x", "rd": "1:1"}]}}),
    "update without direction": _event("update", message={"eor": {"afi": "ipv4", "safi": "unicast"}}),
    "eor without safi": _event("update", direction="receive", message={"eor": {"afi": "ipv4"}}),
    "raw header not a marker": _event("update", direction="send",
                                      message={"category": 2, "header": "0x00", "body": "0x"}),
    "shutdown with counter": dict(HEADER, type="notification", notification="shutdown"),
    "ack unknown answer": {"answer": "maybe", "message": "command completed"},
    "negotiated without families": _event("negotiated", negotiated={
        "message_size": 4096, "hold_time": 180, "asn4": True, "multisession": False, "operational": False,
        "refresh": "normal", "nexthop": [], "add_path": {"send": [], "receive": []}}),
}
INVALID["bad origin"]["neighbor"]["message"]["update"]["attribute"]["origin"] = "bogus"


@pytest.mark.parametrize("name", sorted(VALID))
def test_hand_made_valid_events_validate(name):
    assert checks.validate_event(VALID[name]) is None, checks.validate_event(VALID[name])


@pytest.mark.parametrize("name", sorted(INVALID))
def test_hand_made_invalid_events_are_rejected(name):
    problem = checks.validate_event(INVALID[name])
    assert problem, name
