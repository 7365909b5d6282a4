#!/usr/bin/env python3
"""A stand-in LLM server for caltune's tests, demo and benchmarks.

It speaks the two APIs the LLM tier uses, over HTTP/1.1 with keep-alive on
127.0.0.1:

  Ollama             POST /api/chat              GET /api/tags
  OpenAI-compatible  POST /v1/chat/completions   GET /v1/models

A chat answer comes from a table keyed by the text between <text> and
</text> in the user message. The table is one or more corpora in JSON
Lines (such as corpora/events.jsonl): each line's "expect" becomes the
answer, with the keys it lacks answered null (attendees []). A line may also carry
"answer" (the message content to send as is: a string, or any JSON value,
which is serialised) and "mode" (a behaviour for that text alone). A text
not in the table gets an answer with every key null.

Behaviours, set with --mode and --latency-ms at start or at run time with
POST /_control and a JSON object such as
{"mode": "fail_first_n", "n": 2, "latency_ms": 300}:

  ok                 answer normally
  fail500            answer HTTP 500
  hang               send nothing until the client gives up
  close_mid_body     send the headers and half the body, then close
  malformed_json     send a response body that is not valid JSON
  schema_break       send a message content that breaks the event schema
                     ("variant": wrong_types, extra_key, impossible_date,
                     missing_key or not_object; without one, the variants
                     take turns)
  huge_body          send a 10 MiB body
  fail_first_n       answer HTTP 500 (or "status") to the next n requests,
                     then answer normally

Latency is added before every answer, failures included. The behaviours
apply to the chat and model-list endpoints. POST /_control also takes
{"reset": true}, which zeroes the counters.

GET /_stats returns the counters as JSON: connections that carried API
requests, requests per path, the requests in flight and the maximum seen at
once, the received texts, the Authorization headers seen, the requests that
did not have the expected shape and the last request's body.

The first line on stdout is the port (--port 0 picks a free one); log lines
go to stderr. SIGTERM and SIGINT (unless started with SIGINT ignored) stop
the server, which exits with status 0.

Python 3 standard library only.
"""

import argparse
import http.server
import itertools
import json
import re
import select
import signal
import socket
import sys
import threading
import time

FIELDS = ["title", "start", "end", "duration_min", "all_day", "location", "attendees",
          "recurrence"]
MODES = ["ok", "fail500", "hang", "close_mid_body", "malformed_json", "schema_break",
         "huge_body", "fail_first_n"]
SCHEMA_VARIANTS = ["wrong_types", "extra_key", "impossible_date", "missing_key", "not_object"]
DEFAULT_MODELS = ["llama3.2:1b", "llama3.2:3b", "llama3.1:8b"]
HUGE_BODY_BYTES = 10 * 1024 * 1024
REQUEST_BODY_MAX = 4 * 1024 * 1024
# How many received texts and request errors /_stats keeps, newest last.
KEEP_TEXTS = 2000
KEEP_ERRORS = 50
TEXT_PATTERN = re.compile(r"<text>(.*)</text>", re.DOTALL)


def log(message):
    print("llm_standin: " + message, file=sys.stderr, flush=True)


def load_table(path):
    """Read a JSON Lines corpus into {text: entry}, where an entry contains
    the answer content and an optional per-text mode."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit("%s:%d: invalid JSON: %s" % (path, number, e))
            if not isinstance(case, dict) or not isinstance(case.get("text"), str):
                raise SystemExit('%s:%d: a line must be an object with a "text" string'
                                 % (path, number))
            mode = case.get("mode", None)
            if mode is not None and mode not in MODES:
                raise SystemExit('%s:%d: unknown mode "%s": use one of %s'
                                 % (path, number, mode, ", ".join(MODES)))
            if "answer" in case:
                answer = case["answer"]
                content = answer if isinstance(answer, str) else json.dumps(answer)
            else:
                content = json.dumps(event_answer(case.get("expect") or {}))
            table[case["text"]] = {"content": content, "mode": mode}
    return table


def event_answer(expect):
    """Return the event schema's object for a corpus "expect", with every key."""
    answer = {field: expect.get(field) for field in FIELDS}
    if answer["attendees"] is None:
        answer["attendees"] = []
    return answer


def broken_content(variant):
    """Return a message content that is JSON but not the event schema."""
    valid = event_answer({"title": "Lunch", "start": "2026-12-05T12:00"})
    if variant == "wrong_types":
        valid.update({"duration_min": "sixty", "all_day": "yes", "attendees": "Sarah"})
    elif variant == "extra_key":
        valid["confidence"] = 1.0
    elif variant == "impossible_date":
        valid["start"] = "2026-02-30T25:61"
    elif variant == "missing_key":
        del valid["start"]
    else:
        return json.dumps(["Lunch", "2026-12-05T12:00"])
    return json.dumps(valid)


class Behaviour:
    """The switches /_control sets and the counters /_stats reports, shared
    by every handler thread under one lock."""

    def __init__(self, mode, latency_ms, models):
        self.lock = threading.Lock()
        self.mode = mode
        self.latency_ms = latency_ms
        self.n = 0                 # fail_first_n: failures left
        self.status = 500          # fail_first_n and fail500: the status sent
        self.variant = None        # schema_break: fixed variant, or None to rotate
        self.variants = itertools.cycle(SCHEMA_VARIANTS)
        self.models = models
        self.reset()

    def reset(self):
        self.connections = 0
        self.requests = 0
        self.by_path = {}
        self.in_flight = 0
        self.max_concurrent = 0
        self.answered = 0
        self.unknown_texts = 0
        self.failed = 0
        self.texts = []
        self.authorization = []
        self.request_errors = []
        self.last_request = None

    def control(self, doc):
        """Apply a /_control object; return an error message or None."""
        if not isinstance(doc, dict):
            return "the body must be a JSON object"
        mode = doc.get("mode", self.mode)
        if mode not in MODES:
            return 'unknown mode "%s": use one of %s' % (mode, ", ".join(MODES))
        latency = doc.get("latency_ms", self.latency_ms)
        if not isinstance(latency, (int, float)) or latency < 0:
            return "latency_ms must be a number of milliseconds, 0 or more"
        n = doc.get("n", 0 if mode != "fail_first_n" else 1)
        if not isinstance(n, int) or n < 0:
            return "n must be a whole number, 0 or more"
        status = doc.get("status", 500)
        if not isinstance(status, int) or not 400 <= status <= 599:
            return "status must be an HTTP error status from 400 to 599"
        variant = doc.get("variant")
        if variant is not None and variant not in SCHEMA_VARIANTS:
            return 'unknown variant "%s": use one of %s' % (variant, ", ".join(SCHEMA_VARIANTS))
        with self.lock:
            if doc.get("reset"):
                self.reset()
            self.mode = mode
            self.latency_ms = latency
            self.n = n
            self.status = status
            self.variant = variant
        log("mode %s, latency %s ms%s" % (mode, latency,
                                          ", n %d" % n if mode == "fail_first_n" else ""))
        return None

    def begin(self, path, authorization, first_on_connection):
        with self.lock:
            if first_on_connection:
                self.connections += 1
            self.requests += 1
            self.by_path[path] = self.by_path.get(path, 0) + 1
            self.in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self.in_flight)
            if authorization is not None and authorization not in self.authorization:
                self.authorization.append(authorization)
            return self.mode, self.latency_ms / 1000.0

    def end(self):
        with self.lock:
            self.in_flight -= 1

    def take_failure(self):
        """Count a request against fail_first_n. Returns the status to fail it
        with, or None to answer it."""
        with self.lock:
            if self.n > 0:
                self.n -= 1
                return self.status
            return None

    def next_variant(self):
        with self.lock:
            return self.variant or next(self.variants)

    def note(self, text=None, request=None, error=None, outcome=None):
        with self.lock:
            if text is not None:
                self.texts.append(text)
                del self.texts[:-KEEP_TEXTS]
            if request is not None:
                self.last_request = request
            if error is not None:
                log("rejected request: " + error)
                self.request_errors.append(error)
                del self.request_errors[:-KEEP_ERRORS]
            if outcome == "answered":
                self.answered += 1
            elif outcome == "unknown":
                self.answered += 1
                self.unknown_texts += 1
            elif outcome == "failed":
                self.failed += 1

    def stats(self):
        with self.lock:
            return {"connections": self.connections, "requests": self.requests,
                    "by_path": dict(self.by_path),
                    "in_flight": self.in_flight, "max_concurrent": self.max_concurrent,
                    "answered": self.answered, "unknown_texts": self.unknown_texts,
                    "failed": self.failed, "mode": self.mode, "latency_ms": self.latency_ms,
                    "texts": list(self.texts), "authorization": list(self.authorization),
                    "request_errors": list(self.request_errors),
                    "last_request": self.last_request}


def check_messages(doc):
    messages = doc.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages is not a non-empty list"
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant") \
                or not isinstance(m.get("content"), str):
            return "a message is not {role, content}"
    return None


def check_ollama(doc):
    """Return what is wrong with an Ollama /api/chat request, or None."""
    if not isinstance(doc.get("model"), str) or not doc["model"]:
        return "model is not a non-empty string"
    problem = check_messages(doc)
    if problem:
        return problem
    if doc.get("stream") is not False:
        return "stream is not false (the stand-in does not stream)"
    fmt = doc.get("format")
    if not isinstance(fmt, dict) or fmt.get("type") != "object":
        return "format is not a JSON schema object"
    options = doc.get("options")
    if not isinstance(options, dict):
        return "options is not an object"
    if not isinstance(options.get("temperature"), (int, float)):
        return "options.temperature is not a number"
    for key in ("num_predict", "num_ctx"):
        if not isinstance(options.get(key), int) or isinstance(options.get(key), bool):
            return "options.%s is not an integer" % key
    return None


def check_openai(doc):
    """Return what is wrong with a /v1/chat/completions request, or None."""
    if not isinstance(doc.get("model"), str) or not doc["model"]:
        return "model is not a non-empty string"
    problem = check_messages(doc)
    if problem:
        return problem
    if doc.get("stream", False) is not False:
        return "stream is set (the stand-in does not stream)"
    if not isinstance(doc.get("temperature"), (int, float)):
        return "temperature is not a number"
    if not isinstance(doc.get("max_tokens"), int) or isinstance(doc.get("max_tokens"), bool):
        return "max_tokens is not an integer"
    fmt = doc.get("response_format")
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema" or \
            not isinstance(fmt.get("json_schema"), dict) or \
            not isinstance(fmt["json_schema"].get("schema"), dict):
        return "response_format is not {type: json_schema, json_schema: {schema}}"
    return None


def user_text(doc):
    """Return the text between <text> and </text> in the last user message,
    or None."""
    for m in reversed(doc.get("messages", [])):
        if m.get("role") == "user":
            found = TEXT_PATTERN.search(m.get("content", ""))
            return found.group(1) if found else None
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "caltune-llm-standin/1.0"
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 60
    # The headers and the body go out in separate writes; with Nagle's
    # algorithm on, the body waits for the client's delayed ACK (40 ms).
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.api_requests = 0

    def log_message(self, format, *args):
        if self.server.verbose:
            log("%s %s" % (self.address_string(), format % args))

    # Plumbing.

    def send_body(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status, doc):
        self.send_body(status, json.dumps(doc).encode("utf-8"))

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            n = -1
        if n < 0 or n > REQUEST_BODY_MAX:
            self.close_connection = True
            raise ValueError("invalid Content-Length %r" % length)
        return self.rfile.read(n)

    def wait(self, seconds):
        """Sleep, but return early when the server stops."""
        if seconds > 0:
            self.server.stopping.wait(seconds)

    def hang(self):
        """Hold the request open, sending nothing, until the client closes
        the connection or the server stops."""
        self.close_connection = True
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return

    # Endpoints.

    def do_GET(self):
        if self.path == "/_stats":
            self.send_json(200, self.server.behaviour.stats())
        elif self.path in ("/api/tags", "/v1/models"):
            self.serve_api(None)
        else:
            self.send_json(404, {"error": "no such endpoint: GET %s" % self.path})

    def do_POST(self):
        try:
            raw = self.read_body()
        except ValueError as e:
            self.send_json(400, {"error": str(e)})
            return
        if self.path == "/_control":
            try:
                doc = json.loads(raw or b"{}")
            except json.JSONDecodeError as e:
                self.send_json(400, {"error": "invalid JSON: %s" % e})
                return
            problem = self.server.behaviour.control(doc)
            if problem:
                self.send_json(400, {"error": problem})
            else:
                stats = self.server.behaviour.stats()
                self.send_json(200, {"mode": stats["mode"], "latency_ms": stats["latency_ms"]})
        elif self.path in ("/api/chat", "/v1/chat/completions"):
            self.serve_api(raw)
        else:
            self.send_json(404, {"error": "no such endpoint: POST %s" % self.path})

    def serve_api(self, raw):
        behaviour = self.server.behaviour
        mode, latency_s = behaviour.begin(self.path, self.headers.get("Authorization"),
                                          self.api_requests == 0)
        self.api_requests += 1
        try:
            self.answer_api(raw, mode, latency_s)
        except (BrokenPipeError, ConnectionResetError) as e:
            # The client gave up (a timeout, or a body above its limit).
            self.close_connection = True
            if self.server.verbose:
                log("%s: client closed the connection: %s" % (self.path, e))
        finally:
            behaviour.end()

    def answer_api(self, raw, mode, latency_s):
        behaviour = self.server.behaviour
        content = None
        model = None
        known = False
        prompt_chars = 0
        if raw is not None:
            try:
                doc = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                behaviour.note(error="%s: body is not JSON: %s" % (self.path, e))
                self.send_json(400, {"error": "invalid JSON: %s" % e})
                return
            if not isinstance(doc, dict):
                behaviour.note(error="%s: body is not a JSON object" % self.path)
                self.send_json(400, {"error": "the body must be a JSON object"})
                return
            check = check_ollama if self.path == "/api/chat" else check_openai
            problem = check(doc)
            behaviour.note(request=doc)
            if problem:
                behaviour.note(error="%s: %s" % (self.path, problem))
                self.send_json(400, {"error": problem})
                return
            model = doc["model"]
            prompt_chars = sum(len(m["content"]) for m in doc["messages"])
            if model not in behaviour.models:
                behaviour.note(error="%s: unknown model %s" % (self.path, model))
                self.send_json(404, {"error": 'model "%s" not found, try pulling it first'
                                     % model})
                return
            text = user_text(doc)
            entry = self.server.table.get(text) if text is not None else None
            behaviour.note(text=text)
            if entry:
                known = True
                content = entry["content"]
                mode = entry["mode"] or mode
            else:
                content = json.dumps(event_answer({}))

        if mode == "hang":
            behaviour.note(outcome="failed")
            self.hang()
            return
        self.wait(latency_s)
        if mode == "fail_first_n":
            status = behaviour.take_failure()
            if status is not None:
                behaviour.note(outcome="failed")
                self.send_json(status, {"error": "stand-in failure (fail_first_n)"})
                return
            mode = "ok"
        if mode == "fail500":
            behaviour.note(outcome="failed")
            self.send_json(500, {"error": "stand-in failure (fail500)"})
            return
        if mode == "huge_body":
            behaviour.note(outcome="failed")
            self.send_huge_body()
            return
        if mode == "schema_break" and content is not None:
            content = broken_content(behaviour.next_variant())

        body = self.api_body(content, model, prompt_chars)
        if mode == "malformed_json":
            body = body[:len(body) // 2]
        elif mode == "close_mid_body":
            behaviour.note(outcome="failed")
            self.send_half_then_close(body)
            return
        if mode in ("malformed_json", "schema_break"):
            behaviour.note(outcome="failed")
        elif content is not None:
            behaviour.note(outcome="answered" if known else "unknown")
        self.send_body(200, body)

    def api_body(self, content, model, prompt_chars):
        """Return the response body of the endpoint being served."""
        now = time.time()
        if self.path == "/api/tags":
            return json.dumps({"models": [
                {"name": m, "model": m, "modified_at": "2026-01-01T00:00:00Z", "size": 0}
                for m in self.server.behaviour.models]}).encode("utf-8")
        if self.path == "/v1/models":
            return json.dumps({"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "caltune-standin"}
                for m in self.server.behaviour.models]}).encode("utf-8")
        # Token counts are rough: about four characters a token.
        prompt_tokens = max(1, prompt_chars // 4)
        completion_tokens = max(1, len(content) // 4)
        if self.path == "/api/chat":
            return json.dumps({
                "model": model, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                "message": {"role": "assistant", "content": content},
                "done_reason": "stop", "done": True,
                "total_duration": int(self.server.behaviour.latency_ms * 1e6),
                "load_duration": 0, "prompt_eval_count": prompt_tokens,
                "prompt_eval_duration": 0, "eval_count": completion_tokens,
                "eval_duration": 0}).encode("utf-8")
        return json.dumps({
            "id": "chatcmpl-standin", "object": "chat.completion", "created": int(now),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}).encode("utf-8")

    def send_half_then_close(self, body):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)

    def send_huge_body(self):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(HUGE_BODY_BYTES))
        self.end_headers()
        chunk = b" " * 65536
        for _ in range(HUGE_BODY_BYTES // len(chunk)):
            if self.server.stopping.is_set():
                return
            self.wfile.write(chunk)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Stand-in LLM server (Ollama and OpenAI-compatible APIs) for caltune's "
                    "tests. Prints its port on the first line of stdout.")
    parser.add_argument("--port", type=int, default=0,
                        help="TCP port on 127.0.0.1; 0 (default) picks a free one")
    parser.add_argument("--table", metavar="FILE", action="append", default=[],
                        help="corpus in JSON Lines whose expect objects are the answers; "
                             "repeatable, later files win for the same text")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="milliseconds added before every answer (default 0)")
    parser.add_argument("--mode", choices=MODES, default="ok",
                        help="behaviour at start (default ok)")
    parser.add_argument("--n", type=int, default=1,
                        help="for --mode fail_first_n: how many requests fail (default 1)")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS),
                        help="comma-separated model names the server lists and accepts "
                             "(default: %(default)s)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if args.latency_ms < 0:
        parser.error("--latency-ms must be 0 or more")
    if args.n < 0:
        parser.error("--n must be 0 or more")
    return args


def main(argv):
    args = parse_args(argv)
    table = {}
    for path in args.table:
        table.update(load_table(path))
    models = [m for m in args.models.split(",") if m]
    behaviour = Behaviour(args.mode, args.latency_ms, models)
    behaviour.n = args.n if args.mode == "fail_first_n" else 0

    server = Server(("127.0.0.1", args.port), Handler)
    server.table = table
    server.behaviour = behaviour
    server.verbose = args.verbose
    server.stopping = threading.Event()

    def stop(signum, frame):
        server.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    # A shell starts background jobs with SIGINT ignored, so Ctrl-C in a
    # foreground program (make demo's UI) does not reach this server.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, stop)

    port = server.server_address[1]
    print(port, flush=True)
    log("listening on 127.0.0.1:%d, %d table entries, mode %s, latency %g ms"
        % (port, len(table), args.mode, args.latency_ms))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    while not server.stopping.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    stats = behaviour.stats()
    log("stopped after %d requests (max %d at once)" % (stats["requests"],
                                                         stats["max_concurrent"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
