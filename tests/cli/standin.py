"""A stand-in server (tests/llm_standin.py or tests/duckling_standin.py)
run as a child process on a free port of 127.0.0.1, with its control and
statistics endpoints. Both stand-ins print their port on the first line of
stdout, take POST /_control and GET /_stats, and exit 0 on SIGTERM."""

import json
import os
import select
import signal
import subprocess
import sys
import urllib.request

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# No proxy between the tests and the stand-in, whatever the machine sets.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class StandInProcess:
    def __init__(self, script, args, log_path=None):
        self.log = open(log_path, "w") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(TESTS, script), "--port", "0"] + list(args),
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("%s did not print its port (got %r)" % (script, line))
        self.port = int(line)
        self.url = "http://127.0.0.1:%d" % self.port

    def request(self, path, doc=None):
        data = json.dumps(doc).encode("utf-8") if doc is not None else None
        with DIRECT.open(urllib.request.Request(self.url + path, data=data), timeout=10) as r:
            return json.loads(r.read())

    def control(self, **doc):
        return self.request("/_control", doc)

    def stats(self):
        return self.request("/_stats")

    def stop(self):
        """Stops the server with SIGTERM and returns its exit status."""
        if self.proc.returncode is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        finally:
            self.proc.stdout.close()
            if self.log is not subprocess.DEVNULL:
                self.log.close()
