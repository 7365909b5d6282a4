/*
 * The HTTP client of the LLM tier (and of tier 2's Duckling backend), on
 * libcurl's multi interface. One thread drives every transfer, so up to
 * `concurrency` requests are in flight at once over reused keep-alive
 * connections while the callers wait.
 *
 * Each request has its own timeout and is retried with exponential
 * backoff and jitter after a connection failure, a timeout, a cut-off body
 * or a 429/5xx status. A circuit breaker marks the server down after
 * LLM_BREAKER_FAILURES consecutive connection failures or timeouts. While
 * it is down (LLM_BREAKER_COOLDOWN_S) every call fails at once without
 * touching the network. After the cool-down one call probes the server
 * while the others still fail at once, and a failed probe starts a new
 * cool-down.
 *
 * Ownership: llm_client_new returns a client freed with llm_client_free
 * (which stops its thread; no call may be in progress). A response's body
 * is allocated by the client and freed by the caller with
 * llm_response_free. Calls are safe from any number of threads.
 */
#ifndef CALTUNE_LLM_CLIENT_H
#define CALTUNE_LLM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LLM_BREAKER_FAILURES 3
#define LLM_BREAKER_COOLDOWN_S 30
#define LLM_BODY_MAX (1024 * 1024)    /* a larger response body is a failed call */

enum llm_failure {
	LLM_OK,
	LLM_FAIL_CONNECT,    /* could not connect or resolve */
	LLM_FAIL_TIMEOUT,    /* no complete answer within the timeout */
	LLM_FAIL_CUT,        /* the connection closed in the middle of the body */
	LLM_FAIL_HTTP,       /* a status other than 200 */
	LLM_FAIL_TOO_LARGE,  /* the body passed LLM_BODY_MAX */
	LLM_FAIL_DOWN,       /* the circuit breaker is open: not sent */
	LLM_FAIL_OTHER
};

struct llm_request {
	const char *url;
	const char *body;          /* NULL for a GET */
	const char *bearer;        /* NULL, or a token for "Authorization: Bearer" */
	double timeout_s;
	int max_retries;
	const char *content_type;  /* NULL: application/json */
};

struct llm_response {
	enum llm_failure failure;
	long status;               /* HTTP status of the last attempt, 0 without one */
	char *body;                /* NUL-terminated, owned by the caller */
	size_t body_len;
	int64_t elapsed_ns;        /* from the first send to the final answer */
	int attempts;
	char error[256];
};

enum llm_state { LLM_STATE_UP, LLM_STATE_DOWN };

struct llm_client_stats {
	enum llm_state state;
	int in_flight;
	int queued;
	uint64_t retries;          /* attempts after the first, ever */
	uint64_t breaker_trips;
};

struct llm_client;

struct llm_client *llm_client_new(int concurrency, char *err, size_t err_size);
void llm_client_free(struct llm_client *client);

/* Sends one request and waits for its final outcome; returns 0 when the
 * server answered 200 with a whole body, -1 otherwise (out->failure and
 * out->error say why). */
int llm_client_send(struct llm_client *client, const struct llm_request *request,
		    struct llm_response *out);

void llm_client_stats(struct llm_client *client, struct llm_client_stats *out);
void llm_response_free(struct llm_response *response);
const char *llm_failure_name(enum llm_failure failure);

/* Sets the breaker's cool-down, for tests that cannot wait 30 s. */
void llm_client_set_cooldown_ms(struct llm_client *c, int cooldown_ms);

#endif
