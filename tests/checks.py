"""Checks every pytest suite runs around each test (tests/functional and
tests/integration conftest.py use them).

- Sanitizer reports of every process the test started: ASAN_OPTIONS and
  UBSAN_OPTIONS get a log_path into one directory per pytest run, so a
  report (a leak found by LeakSanitizer at exit, an ASan error, a UBSan
  "runtime error") of any daemon lands in a file there, whatever the test
  did with the daemon's output.  A test after which a new report appears
  fails, with the report.
- JSON validity of helper events: tests/api/record.py parses every JSON
  line fastbgp sends with python3's json and appends the invalid ones to
  $FASTBGP_JSON_ERRORS; a test after which that file grew fails.
- JSON Schema of helper events: the same helpers validate every event
  against its schema in docs/schema/ (validate_event below, picked by the
  event's "type", or ack.json for a command's JSON answer); an event that
  does not validate is reported the same way, so the test fails.
"""
import glob
import json
import os
import tempfile

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "schema")
SCHEMA_BASE = "https://fastbgp.invalid/schema/"
# the event's "type" -> its schema file (packets events are named after the message)
SCHEMA_OF_TYPE = {
    "state": "state", "fsm": "fsm", "signal": "signal", "negotiated": "negotiated",
    "graceful-restart": "graceful-restart", "open": "open", "update": "update",
    "notification": "notification", "keepalive": "keepalive", "refresh": "refresh",
    "route refresh": "packets", "operational": "packets", "unknown": "packets",
}

_state = {}


def _add_option(name, opts):
    current = os.environ.get(name, "")
    kept = [o for o in current.split(":") if o and not o.startswith("log_path=")
            and not any(o.startswith(k + "=") for k, _ in opts)]
    os.environ[name] = ":".join(kept + ["%s=%s" % kv for kv in opts])


def setup():
    """Once per pytest run, before any daemon starts."""
    if _state:
        return
    d = tempfile.mkdtemp(prefix="fastbgp-checks-")
    _state["dir"] = d
    _state["json"] = os.path.join(d, "invalid-json.txt")
    _state["seen"] = set()
    _state["json_size"] = 0
    # detect_leaks: the ASan build's default, said again so that a caller's
    # ASAN_OPTIONS cannot turn it off by accident.
    _add_option("ASAN_OPTIONS", [("detect_leaks", "1"), ("log_path", os.path.join(d, "asan"))])
    _add_option("UBSAN_OPTIONS", [("log_path", os.path.join(d, "ubsan"))])
    os.environ["FASTBGP_JSON_ERRORS"] = _state["json"]


def new_reports():
    """Sanitizer reports and invalid JSON lines that appeared since the last
    call, as text ("" when none)."""
    if not _state:
        return ""
    out = []
    for path in sorted(glob.glob(os.path.join(_state["dir"], "*san.*"))):
        if path in _state["seen"]:
            continue
        _state["seen"].add(path)
        with open(path, errors="replace") as fh:
            text = fh.read()
        out.append("%s:\n%s" % (path, text[-4000:]))
    try:
        size = os.path.getsize(_state["json"])
    except OSError:
        size = 0
    if size > _state["json_size"]:
        with open(_state["json"], errors="replace") as fh:
            fh.seek(_state["json_size"])
            out.append("invalid JSON sent to a helper:\n" + fh.read()[-4000:])
        _state["json_size"] = size
    return "\n".join(out)


def load_schemas():
    """Every schema of docs/schema, by file name without .json."""
    out = {}
    for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.json"))):
        with open(path) as fh:
            out[os.path.basename(path)[:-5]] = json.load(fh)
    return out


def _validators():
    if "validators" in _state:
        return _state["validators"]
    import jsonschema  # python3-jsonschema (scripts/deps.sh)
    schemas = load_schemas()
    store = {s["$id"]: s for s in schemas.values()}
    cls = jsonschema.Draft202012Validator
    checker = cls.FORMAT_CHECKER
    try:  # jsonschema >= 4.18: the referencing library
        import referencing
        registry = referencing.Registry().with_resources(
            (uri, referencing.Resource.from_contents(s)) for uri, s in store.items())
        make = lambda s: cls(s, registry=registry, format_checker=checker)  # noqa: E731
    except ImportError:  # Debian 12's 4.10
        make = lambda s: cls(s, resolver=jsonschema.RefResolver.from_schema(s, store=store),  # noqa: E731
                             format_checker=checker)
    _state["validators"] = {name: make(s) for name, s in schemas.items()}
    return _state["validators"]


def validate_event(event):
    """None when EVENT (a parsed JSON line a helper received) validates
    against its schema, else the reason."""
    if not isinstance(event, dict):
        return "not a JSON object"
    if "answer" in event and "type" not in event:
        name = "ack"
    else:
        name = SCHEMA_OF_TYPE.get(event.get("type"))
        if name is None:
            return "no schema for event type %r" % (event.get("type"),)
    validator = _validators().get(name)
    if validator is None:
        return "docs/schema/%s.json missing or unreadable" % name
    errors = sorted(validator.iter_errors(event), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    return "does not validate against docs/schema/%s.json: %s" % (
        name, "; ".join("at /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300])
                        for e in errors[:3]))
