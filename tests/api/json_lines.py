"""Reads the events a helper recorded (tests/api/record.py) as JSON objects.

A test follows the file while fastbgp writes it, so a last line still being
written (not valid JSON yet) is skipped; a missing file is no event yet."""
import json


def read_json_lines(path):
    try:
        with open(path) as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a line being written, or a text event
    return out
