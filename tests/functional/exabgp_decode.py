"""Debian's ExaBGP 4.2 as a reference decoder: the JSON of one UPDATE as
"exabgp --decode HEX CONF" prints it, for the differential tests."""
import json
import os
import re
import shutil
import subprocess
import tempfile

EXABGP = shutil.which("exabgp")

# no family block: ExaBGP 4.2 then speaks every family it knows
CONF = ("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n"
        " local-as 65533;\n peer-as 65533;\n}\n")


def exabgp_message(hexmsg):
    """The "message" object of ExaBGP's JSON for the UPDATE hexmsg."""
    workdir = tempfile.mkdtemp(prefix="exabgp-decode-")
    try:
        conf = os.path.join(workdir, "peer.conf")
        with open(conf, "w") as fh:
            fh.write(CONF)
        env = dict(os.environ, exabgp_api_cli="false", exabgp_log_destination="stderr")
        out = subprocess.run([EXABGP, "--decode", hexmsg, conf], capture_output=True, text=True, timeout=60,
                             env=env, cwd=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for line in (out.stdout + out.stderr).splitlines():
        m = re.search(r"update json (\{.*\})\s*$", line)
        if m:
            return json.loads(m.group(1))["neighbor"]["message"]
    raise AssertionError("ExaBGP decoded nothing: %s" % out.stderr[-500:])
