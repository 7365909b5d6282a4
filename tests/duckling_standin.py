#!/usr/bin/env python3
"""A stand-in Duckling server for caltune's tests, on 127.0.0.1.

It speaks Duckling's HTTP API as caltune's rules tier uses it: POST /parse
with a form-encoded body of locale, text, reftime (epoch milliseconds), tz
and dims, answered with a JSON array of entities. Like Duckling, it answers
422 with a plain-text body when the text parameter is missing.

Answers come from a table in JSON Lines, one object per line:
{"text": "...", "answer": [entities]}, where the entities are written as
Duckling writes them (code-point "start" and "end", "dim", "latent", and a
"value" that is a value with a grain or an interval whose "to" is one grain
past the stated end). A text not in the table gets [].

Behaviours, set with --mode and --latency-ms at start or at run time with
POST /_control and a JSON object such as {"mode": "fail422", "latency_ms": 0}:

  ok        answer from the table
  fail422   answer 422 with a text body, as Duckling rejects a request
  close     close the connection without sending anything
  garbage   answer 200 with a body that is not JSON

Latency is added before every answer, failures included. GET /_stats
returns the counters as JSON: requests, connections, the received texts,
and the requests whose form lacked a field caltune must send.

The first line on stdout is the port (--port 0 picks a free one). SIGTERM
and SIGINT stop the server with status 0. Python 3 standard library only.
"""

import argparse
import http.server
import json
import signal
import socket
import sys
import threading
import time
import urllib.parse

FORM_FIELDS = ("locale", "text", "reftime", "tz", "dims")
MODES = ("ok", "fail422", "close", "garbage")


class State:
    def __init__(self, table, mode, latency_ms):
        self.lock = threading.Lock()
        self.table = table
        self.mode = mode
        self.latency_ms = latency_ms
        self.reset()

    def reset(self):
        self.requests = 0
        self.connections = 0
        self.texts = []
        self.bad_forms = []

    def stats(self):
        with self.lock:
            return {"requests": self.requests, "connections": self.connections,
                    "texts": list(self.texts), "bad_forms": list(self.bad_forms),
                    "mode": self.mode}


def load_table(paths):
    table = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                    table[doc["text"]] = doc["answer"]
                except (ValueError, KeyError, TypeError) as e:
                    sys.exit(f"duckling_standin: {path}:{number}: {e}")
    return table


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def setup(self):
        super().setup()
        # http.server writes the headers and the body separately; without
        # this, Nagle's algorithm holds the body back for a delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.state.lock:
            self.state.connections += 1

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_stats":
            self.send_body(200, json.dumps(self.state.stats()), "application/json")
        else:
            self.send_body(404, "not found", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        if self.path == "/_control":
            self.control(raw)
            return
        if self.path != "/parse":
            self.send_body(404, "not found", "text/plain")
            return

        form = urllib.parse.parse_qs(raw, keep_blank_values=True)
        state = self.state
        with state.lock:
            state.requests += 1
            mode, latency_ms = state.mode, state.latency_ms
            missing = [k for k in FORM_FIELDS if k not in form]
            if missing:
                state.bad_forms.append(missing)
            if "text" in form:
                state.texts.append(form["text"][0])
        if latency_ms:
            time.sleep(latency_ms / 1000.0)

        if mode == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if mode == "fail422" or "text" not in form:
            self.send_body(422, "Need a 'text' parameter to parse", "text/plain")
            return
        if mode == "garbage":
            self.send_body(200, "<html>not duckling</html>", "text/html")
            return
        answer = state.table.get(form["text"][0], [])
        self.send_body(200, json.dumps(answer, ensure_ascii=False), "application/json")

    def control(self, raw):
        try:
            doc = json.loads(raw or "{}")
            with self.state.lock:
                if doc.get("reset"):
                    self.state.reset()
                if "mode" in doc:
                    if doc["mode"] not in MODES:
                        raise ValueError(f"unknown mode {doc['mode']!r}")
                    self.state.mode = doc["mode"]
                if "latency_ms" in doc:
                    self.state.latency_ms = int(doc["latency_ms"])
        except (ValueError, TypeError, AttributeError) as e:
            self.send_body(400, json.dumps({"error": str(e)}), "application/json")
            return
        self.send_body(200, json.dumps(self.state.stats()), "application/json")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--answers", action="append", default=[],
                        help="JSON Lines of {text, answer}; may be repeated")
    parser.add_argument("--mode", choices=MODES, default="ok")
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()

    Handler.state = State(load_table(args.answers), args.mode, args.latency_ms)
    server = Server(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    signal.signal(signal.SIGINT, lambda *_: threading.Thread(target=server.shutdown).start())
    print(server.server_address[1], flush=True)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
