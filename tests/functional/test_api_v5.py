"""ExaBGP 5.0's helper API additions, chosen by exabgp.api.version = 5 where
5.0 changed a format (JSON acks); ExaBGP 4.2 behaviour stays the default.

- enable-ack / disable-ack / silence-ack (ExaBGP 5.0 reactor/api/command/
  reactor.py): disable-ack acks itself then stops acks, silence-ack stops
  them at once, enable-ack turns them back on and acks itself;
- JSON acks for a helper whose encoder is json, with api.version = 5;
- exabgp.api.ack = false: no ack at all;
- family-first commands (announce ipv4 unicast P ...) put on the wire the
  bytes ExaBGP 4.2 sends for the same route in its own words."""
import os
import tempfile

import pytest

import test_wire_differential as wd

DONE_JSON = '{ "answer": "done", "message": "command completed" }'
ERROR_JSON = '{ "answer": "error", "message": "this command does not support json output" }'


def run_fastbgp(script, env=None, encoder="text", api_select="processes [ script ];"):
    work = tempfile.mkdtemp(prefix="api5-")
    msgs = wd.run([wd.FASTBGP], os.path.join(wd.WIRE, script), work, extra_env=env, encoder=encoder, api_select=api_select)
    # the JSON goodbye event ("notification": "shutdown") is not an ack
    return msgs, [line for line in wd.acks(work) if not line.startswith('{ "exabgp"')]


def test_ack_control_text():
    _, got = run_fastbgp("v5_acks.txt")
    # announce, disable-ack (its own done), [off], enable-ack, announce,
    # silence-ack (none), [off: announce, bogus], enable-ack, bogus
    assert got == ["done", "done", "done", "done", "done", "error"]


def test_ack_control_json_with_version_5():
    _, got = run_fastbgp("v5_acks.txt", env={"exabgp_api_version": "5"}, encoder="json")
    assert got == [DONE_JSON] * 5 + [ERROR_JSON]


def test_json_encoder_keeps_text_acks_by_default():
    _, got = run_fastbgp("v5_acks.txt", encoder="json")
    assert got == ["done", "done", "done", "done", "done", "error"]


def test_api_ack_false_sends_no_ack():
    # api.ack is where a helper starts: the first announce gets nothing;
    # disable-ack still acks itself (ExaBGP 5.0 forces it), enable-ack
    # turns acks on again
    _, got = run_fastbgp("v5_acks.txt", env={"exabgp_api_ack": "false"})
    assert got == ["done", "done", "done", "done", "error"]


@pytest.mark.skipif(wd.EXABGP is None, reason="Debian's exabgp is not installed")
def test_family_first_commands_same_wire_as_exabgp_42_route_commands():
    ref = wd.run([wd.EXABGP], os.path.join(wd.WIRE, "v5_family_42.txt"), tempfile.mkdtemp(prefix="api5-exabgp-"))
    got, _ = run_fastbgp("v5_family.txt")
    a, b, report = wd.compare(ref, got)
    assert len(a) == 3, a  # End-of-RIBs, announcements, withdrawals
    assert not report, "\n".join(report)
    # ExaBGP 5.0's processes-match selects the helper by a pattern matched
    # from the start of its name
    got, _ = run_fastbgp("v5_family.txt", api_select='processes-match [ "^scr" "other" ];')
    a, b, report = wd.compare(ref, got)
    assert not report, "\n".join(report)


def test_processes_match_is_anchored_at_the_start():
    # "cript" is inside "script" but does not start it (Python's re.match):
    # no neighbor takes the helper's routes, only the End-of-RIBs go out
    msgs, got = run_fastbgp("v5_family.txt", api_select='processes-match [ "cript" ];')
    assert got == ["error"] * 6
    assert len(wd.flushes(msgs)) == 1
