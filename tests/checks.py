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
"""
import glob
import os
import tempfile

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
