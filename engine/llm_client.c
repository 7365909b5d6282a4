/*
 * The multi-interface HTTP client of the LLM tier.
 *
 * Callers put a transfer on the queue and sleep on the client's condition
 * variable; the client thread moves queued transfers into the multi handle
 * while fewer than `concurrency` are running and their retry time has
 * come, drives them, and wakes the callers as transfers finish. Retries go
 * back on the queue with a time before which they may not start.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "engine/llm_client.h"

struct transfer {
	const struct llm_request *request;
	struct llm_response *response;
	CURL *easy;
	struct curl_slist *headers;
	char *body;                /* response bytes so far */
	size_t body_len;
	bool too_large;
	int64_t not_before_ns;     /* a retry waits until then */
	int64_t started_ns;
	bool done;
	bool probe;                /* the one call let through to test a server marked down */
	struct transfer *next;     /* in the queue */
};

struct llm_client {
	CURLM *multi;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t finished;   /* a transfer finished: its caller checks */
	struct transfer *queue;    /* waiting to start, oldest first */
	int concurrency;
	int running;
	bool stop;

	/* Circuit breaker. */
	int consecutive_failures;
	int64_t down_until_ns;
	enum llm_state state;
	bool probing;              /* a probe is in flight: other calls keep failing fast */
	int64_t cooldown_ns;
	uint64_t retries;
	uint64_t trips;
	uint64_t jitter;           /* xorshift state for retry jitter */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

const char *llm_failure_name(enum llm_failure failure)
{
	switch (failure) {
	case LLM_OK:
		return "ok";
	case LLM_FAIL_CONNECT:
		return "connection failed";
	case LLM_FAIL_TIMEOUT:
		return "timed out";
	case LLM_FAIL_CUT:
		return "connection closed mid-body";
	case LLM_FAIL_HTTP:
		return "HTTP error";
	case LLM_FAIL_TOO_LARGE:
		return "response too large";
	case LLM_FAIL_DOWN:
		return "server marked down";
	case LLM_FAIL_OTHER:
		break;
	}
	return "failed";
}

void llm_response_free(struct llm_response *response)
{
	free(response->body);
	response->body = NULL;
	response->body_len = 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
	struct transfer *t = user;
	size_t n = size * count;
	char *grown;

	if (t->body_len + n > LLM_BODY_MAX) {
		t->too_large = true;
		return 0;  /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	grown = realloc(t->body, t->body_len + n + 1);
	if (!grown)
		return 0;
	t->body = grown;
	memcpy(t->body + t->body_len, data, n);
	t->body_len += n;
	t->body[t->body_len] = '\0';
	return n;
}

/* Prepares an easy handle for one attempt. */
static int start_attempt(struct llm_client *c, struct transfer *t)
{
	const struct llm_request *r = t->request;
	long timeout_ms = (long)(r->timeout_s * 1000.0);

	free(t->body);
	t->body = NULL;
	t->body_len = 0;
	t->too_large = false;
	t->easy = curl_easy_init();
	if (!t->easy)
		return -1;
	curl_easy_setopt(t->easy, CURLOPT_URL, r->url);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	/* Only plain HTTP(S) to the configured server; no redirects elsewhere. */
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	if (!t->headers) {
		char type[128];

		snprintf(type, sizeof type, "Content-Type: %s",
			 r->content_type ? r->content_type : "application/json");
		t->headers = curl_slist_append(NULL, type);
		t->headers = curl_slist_append(t->headers, "Accept: application/json");
		if (r->bearer && r->bearer[0]) {
			char auth[1024];

			snprintf(auth, sizeof auth, "Authorization: Bearer %s", r->bearer);
			t->headers = curl_slist_append(t->headers, auth);
			memset(auth, 0, sizeof auth);
		}
	}
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	if (r->body) {
		curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body));
	}
	t->response->attempts++;
	if (curl_multi_add_handle(c->multi, t->easy) != CURLM_OK) {
		curl_easy_cleanup(t->easy);
		t->easy = NULL;
		return -1;
	}
	c->running++;
	return 0;
}

static enum llm_failure classify(CURLcode code, long status, bool too_large)
{
	if (too_large)
		return LLM_FAIL_TOO_LARGE;
	switch (code) {
	case CURLE_OK:
		return status == 200 ? LLM_OK : LLM_FAIL_HTTP;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return LLM_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return LLM_FAIL_TIMEOUT;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
		return LLM_FAIL_CUT;
	default:
		return LLM_FAIL_OTHER;
	}
}

/* A refused connection is not retried: nothing listens, and waiting would
 * only slow every parse down while the server is off. Timeouts, cut-off
 * bodies and overload statuses are worth another try. */
static bool retryable(enum llm_failure failure, long status, CURLcode code)
{
	if (failure == LLM_FAIL_HTTP)
		return status == 429 || status >= 500;
	if (failure == LLM_FAIL_CONNECT)
		return code == CURLE_COULDNT_RESOLVE_HOST;
	return failure == LLM_FAIL_TIMEOUT || failure == LLM_FAIL_CUT;
}

/* Exponential backoff with jitter: 200 ms, 400 ms, 800 ms ... plus up to
 * 100 ms, so callers that failed together do not retry together. Called
 * locked. */
static int64_t backoff_ns(struct llm_client *c, int attempt)
{
	int64_t base = (int64_t)200000000 << (attempt > 6 ? 6 : attempt - 1);

	c->jitter ^= c->jitter << 13;
	c->jitter ^= c->jitter >> 7;
	c->jitter ^= c->jitter << 17;
	return base + (int64_t)(c->jitter % 100) * 1000000;
}

static void note_outcome(struct llm_client *c, const struct transfer *t, enum llm_failure failure)
{
	bool unreachable = failure == LLM_FAIL_CONNECT || failure == LLM_FAIL_TIMEOUT;

	if (t->probe) {
		c->probing = false;
		if (unreachable) {
			/* Still down: another cool-down before the next probe. */
			c->down_until_ns = clock_now_ns() + c->cooldown_ns;
			return;
		}
	}
	if (unreachable) {
		if (++c->consecutive_failures >= LLM_BREAKER_FAILURES && c->state == LLM_STATE_UP) {
			c->state = LLM_STATE_DOWN;
			c->down_until_ns = clock_now_ns() + c->cooldown_ns;
			c->trips++;
		}
	} else if (failure == LLM_OK || failure == LLM_FAIL_HTTP || failure == LLM_FAIL_TOO_LARGE) {
		/* A reply of any status shows that the server is up. */
		c->consecutive_failures = 0;
		c->state = LLM_STATE_UP;
	}
}

/* The start of a response body as one line of printable text, for an
 * error message; empty without a body. */
static void body_excerpt(const char *body, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; body && i < len && n + 1 < size; i++) {
		unsigned char ch = (unsigned char)body[i];

		if (ch == '\n' || ch == '\r' || ch == '\t')
			ch = ' ';
		if (ch < 0x20 || ch == 0x7F || ch >= 0x80 || (ch == ' ' && (n == 0 || out[n - 1] == ' ')))
			continue;
		out[n++] = (char)ch;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static void finish(struct llm_client *c, struct transfer *t, enum llm_failure failure, long status,
		   CURLcode code)
{
	struct llm_response *r = t->response;

	r->failure = failure;
	r->status = status;
	r->elapsed_ns = clock_now_ns() - t->started_ns;
	if (failure == LLM_OK) {
		r->body = t->body;
		r->body_len = t->body_len;
		t->body = NULL;
	} else if (failure == LLM_FAIL_HTTP) {
		char said[120];

		/* The server's own words ("model not found", "Need a 'text'
		 * parameter") usually say what to fix. */
		body_excerpt(t->body, t->body_len, said, sizeof said);
		snprintf(r->error, sizeof r->error, "%s answered HTTP %ld after %d attempt%s%s%s%s",
			 t->request->url, status, r->attempts, r->attempts == 1 ? "" : "s",
			 said[0] ? ": \"" : "", said, said[0] ? "\"" : "");
	} else if (failure == LLM_FAIL_TOO_LARGE) {
		snprintf(r->error, sizeof r->error, "%s sent a body above %d bytes", t->request->url,
			 LLM_BODY_MAX);
	} else {
		snprintf(r->error, sizeof r->error, "%s: %s after %d attempt%s (%s)", t->request->url,
			 llm_failure_name(failure), r->attempts, r->attempts == 1 ? "" : "s",
			 curl_easy_strerror(code));
	}
	free(t->body);
	t->body = NULL;
	curl_slist_free_all(t->headers);
	t->headers = NULL;
	t->done = true;
	(void)c;
}

/* Handles transfers the multi handle reports finished. Called locked. */
static void collect(struct llm_client *c)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(c->multi, &left))) {
		struct transfer *t;
		long status = 0;
		enum llm_failure failure;
		CURL *easy;
		CURLcode result;

		if (msg->msg != CURLMSG_DONE)
			continue;
		/* The message lives in the easy handle: copy it out before cleanup. */
		easy = msg->easy_handle;
		result = msg->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
		curl_multi_remove_handle(c->multi, easy);
		curl_easy_cleanup(easy);
		t->easy = NULL;
		c->running--;
		failure = classify(result, status, t->too_large);
		note_outcome(c, t, failure);
		if (failure != LLM_OK && retryable(failure, status, result) &&
		    t->response->attempts <= t->request->max_retries && c->state == LLM_STATE_UP) {
			/* Back on the queue, not before its backoff. */
			t->not_before_ns = clock_now_ns() + backoff_ns(c, t->response->attempts);
			t->next = c->queue;
			c->queue = t;
			c->retries++;
			continue;
		}
		finish(c, t, failure, status, result);
		pthread_cond_broadcast(&c->finished);
	}
}

/* Starts queued transfers whose time has come, while there is room. Called
 * locked; returns the nanoseconds until the next one may start. */
static int64_t start_ready(struct llm_client *c)
{
	int64_t now = clock_now_ns();
	int64_t wait = 100000000;
	struct transfer **p = &c->queue;

	while (*p) {
		struct transfer *t = *p;

		if (c->running >= c->concurrency)
			break;
		if (t->not_before_ns > now) {
			if (t->not_before_ns - now < wait)
				wait = t->not_before_ns - now;
			p = &t->next;
			continue;
		}
		*p = t->next;
		if (start_attempt(c, t) < 0) {
			finish(c, t, LLM_FAIL_OTHER, 0, CURLE_OUT_OF_MEMORY);
			pthread_cond_broadcast(&c->finished);
		}
	}
	return wait;
}

static void *loop(void *arg)
{
	struct llm_client *c = arg;

	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		int64_t wait = start_ready(c);
		int active;

		pthread_mutex_unlock(&c->lock);
		curl_multi_perform(c->multi, &active);
		curl_multi_poll(c->multi, NULL, 0, (int)(wait / 1000000) + 1, NULL);
		curl_multi_perform(c->multi, &active);
		pthread_mutex_lock(&c->lock);
		collect(c);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct llm_client *llm_client_new(int concurrency, char *err, size_t err_size)
{
	struct llm_client *c;

	pthread_once(&curl_once, init_curl);
	c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, err_size, "out of memory creating the LLM client");
		return NULL;
	}
	c->concurrency = concurrency > 0 ? concurrency : 1;
	c->jitter = (uint64_t)clock_now_ns() | 1;
	c->cooldown_ns = (int64_t)LLM_BREAKER_COOLDOWN_S * 1000000000;
	c->multi = curl_multi_init();
	if (!c->multi) {
		snprintf(err, err_size, "libcurl could not create a multi handle");
		free(c);
		return NULL;
	}
	/* Keep one connection per concurrent request and reuse them. */
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->concurrency);
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->concurrency);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->finished, NULL);
	if (pthread_create(&c->thread, NULL, loop, c) != 0) {
		snprintf(err, err_size, "could not start the LLM client thread");
		curl_multi_cleanup(c->multi);
		free(c);
		return NULL;
	}
	return c;
}

void llm_client_free(struct llm_client *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_mutex_unlock(&c->lock);
	curl_multi_wakeup(c->multi);
	pthread_join(c->thread, NULL);
	curl_multi_cleanup(c->multi);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->finished);
	free(c);
}

int llm_client_send(struct llm_client *c, const struct llm_request *request,
		    struct llm_response *out)
{
	struct transfer t;

	memset(out, 0, sizeof *out);
	memset(&t, 0, sizeof t);
	t.request = request;
	t.response = out;
	t.started_ns = clock_now_ns();

	pthread_mutex_lock(&c->lock);
	if (c->state == LLM_STATE_DOWN) {
		/* After the cool-down one call probes the server; the others keep
		 * failing fast until it answers, so a dead server costs one
		 * timeout per cool-down, not one per caller. */
		if (clock_now_ns() < c->down_until_ns || c->probing) {
			out->failure = LLM_FAIL_DOWN;
			snprintf(out->error, sizeof out->error, "%s is marked down after %d failed "
				 "connections; caltune tries it again %d s after the last failure",
				 request->url, LLM_BREAKER_FAILURES, LLM_BREAKER_COOLDOWN_S);
			pthread_mutex_unlock(&c->lock);
			return -1;
		}
		c->probing = true;
		t.probe = true;
	}
	t.next = NULL;
	{
		struct transfer **tail = &c->queue;

		while (*tail)
			tail = &(*tail)->next;
		*tail = &t;
	}
	pthread_mutex_unlock(&c->lock);
	curl_multi_wakeup(c->multi);

	pthread_mutex_lock(&c->lock);
	while (!t.done)
		pthread_cond_wait(&c->finished, &c->lock);
	pthread_mutex_unlock(&c->lock);
	return out->failure == LLM_OK ? 0 : -1;
}

void llm_client_set_cooldown_ms(struct llm_client *c, int cooldown_ms)
{
	pthread_mutex_lock(&c->lock);
	c->cooldown_ns = (int64_t)cooldown_ms * 1000000;
	pthread_mutex_unlock(&c->lock);
}

void llm_client_stats(struct llm_client *c, struct llm_client_stats *out)
{
	int queued = 0;

	pthread_mutex_lock(&c->lock);
	for (struct transfer *t = c->queue; t; t = t->next)
		queued++;
	out->state = c->state == LLM_STATE_DOWN && clock_now_ns() < c->down_until_ns ?
		     LLM_STATE_DOWN : LLM_STATE_UP;
	out->in_flight = c->running;
	out->queued = queued;
	out->retries = c->retries;
	out->breaker_trips = c->trips;
	pthread_mutex_unlock(&c->lock);
}
