/*
 * The LLM tier's HTTP client against a small HTTP/1.1 server run inside
 * the test on 127.0.0.1: requests in flight at once, connection reuse,
 * timeouts, retries, the circuit breaker and the body size limit.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/clock.h"
#include "engine/llm_client.h"
#include "tests/unit/support/test_server.h"

struct call {
	struct llm_client *client;
	struct llm_request request;
	struct llm_response response;
	int rc;
};

static void *make_call(void *arg)
{
	struct call *c = arg;

	c->rc = llm_client_send(c->client, &c->request, &c->response);
	return NULL;
}

static void url_for(char *out, size_t size, int port)
{
	snprintf(out, size, "http://127.0.0.1:%d/api/chat", port);
}

static void test_client_answers_and_reuses_connections(void **state)
{
	struct server *s = test_server_start(SERVE_OK, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(2, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 0, NULL };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(llm_client_send(client, &request, &response), 0);
		assert_int_equal(response.status, 200);
		assert_string_equal(response.body, "{\"message\":{\"content\":\"{}\"}}");
		assert_int_equal(response.attempts, 1);
		llm_response_free(&response);
	}
	/* Five requests, one after the other, over one kept-alive connection. */
	assert_int_equal(s->requests, 5);
	assert_int_equal(s->connections, 1);
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_keeps_requests_in_flight(void **state)
{
	struct server *s = test_server_start(SERVE_OK, 200);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(8, err, sizeof err);
	struct call calls[16];
	pthread_t threads[16];
	int64_t begin = clock_now_ns(), elapsed_ms;

	(void)state;
	url_for(url, sizeof url, s->port);
	for (int i = 0; i < 16; i++) {
		calls[i] = (struct call){ client, { url, "{}", NULL, 5.0, 0, NULL }, { 0 }, -1 };
		pthread_create(&threads[i], NULL, make_call, &calls[i]);
	}
	for (int i = 0; i < 16; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(calls[i].rc, 0);
		llm_response_free(&calls[i].response);
	}
	elapsed_ms = (clock_now_ns() - begin) / 1000000;
	/* Sixteen 200 ms answers, eight at a time: about 400 ms, never 3 s. */
	assert_int_equal(s->max_active, 8);
	assert_true(elapsed_ms < 1500);
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_times_out(void **state)
{
	struct server *s = test_server_start(SERVE_HANG, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 0.3, 1, NULL };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_TIMEOUT);
	assert_int_equal(response.attempts, 2);
	assert_non_null(strstr(response.error, "timed out"));
	/* Two attempts of 0.3 s and one backoff: well under 2 s. */
	assert_true(response.elapsed_ns < 2000000000);
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_retries_server_errors(void **state)
{
	struct server *s = test_server_start(SERVE_FAIL_FIRST, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 2, NULL };
	struct llm_response response;
	struct llm_client_stats stats;

	(void)state;
	s->fail_first = 2;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), 0);
	assert_int_equal(response.attempts, 3);
	llm_response_free(&response);
	llm_client_stats(client, &stats);
	assert_int_equal(stats.retries, 2);
	assert_int_equal(stats.state, LLM_STATE_UP);
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_gives_up_after_retries(void **state)
{
	struct server *s = test_server_start(SERVE_500, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 1, NULL };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_HTTP);
	assert_int_equal(response.status, 500);
	assert_int_equal(response.attempts, 2);
	assert_non_null(strstr(response.error, "HTTP 500"));
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_cut_body(void **state)
{
	struct server *s = test_server_start(SERVE_CLOSE, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 0, NULL };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_CUT);
	assert_null(response.body);
	llm_client_free(client);
	test_server_stop(s);
}

static void test_client_rejects_huge_body(void **state)
{
	struct server *s = test_server_start(SERVE_HUGE, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 5.0, 0, NULL };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_TOO_LARGE);
	assert_null(response.body);
	llm_client_free(client);
	test_server_stop(s);
}

/* Against a port with nothing listening, three refused connections mark
 * the server down; calls after that fail at once without connecting. */
static void test_client_breaker_opens(void **state)
{
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 1.0, 2, NULL };
	struct llm_response response;
	struct llm_client_stats stats;
	int64_t begin;

	(void)state;
	url_for(url, sizeof url, test_dead_port());
	for (int i = 0; i < LLM_BREAKER_FAILURES; i++) {
		assert_int_equal(llm_client_send(client, &request, &response), -1);
		assert_int_equal(response.failure, LLM_FAIL_CONNECT);
		/* A refused connection is not retried. */
		assert_int_equal(response.attempts, 1);
	}
	llm_client_stats(client, &stats);
	assert_int_equal(stats.state, LLM_STATE_DOWN);
	begin = clock_now_ns();
	for (int i = 0; i < 100; i++) {
		assert_int_equal(llm_client_send(client, &request, &response), -1);
		assert_int_equal(response.failure, LLM_FAIL_DOWN);
		assert_int_equal(response.attempts, 0);
	}
	assert_true(clock_now_ns() - begin < 100000000);
	assert_non_null(strstr(response.error, "marked down"));
	llm_client_free(client);
}

/* After the cool-down a single call probes the server: the calls made
 * while the probe waits fail at once, and a probe that times out starts a
 * new cool-down. */
static void test_client_breaker_probes_once(void **state)
{
	struct server *s = test_server_start(SERVE_HANG, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(4, err, sizeof err);
	struct call calls[4];
	pthread_t threads[4];
	struct llm_response response;
	int down = 0, timed_out = 0;

	(void)state;
	url_for(url, sizeof url, s->port);
	llm_client_set_cooldown_ms(client, 200);
	for (int i = 0; i < LLM_BREAKER_FAILURES; i++) {
		struct llm_request request = { url, "{}", NULL, 0.2, 0, NULL };

		assert_int_equal(llm_client_send(client, &request, &response), -1);
		assert_int_equal(response.failure, LLM_FAIL_TIMEOUT);
	}
	assert_int_equal(s->requests, LLM_BREAKER_FAILURES);

	usleep(300000);
	for (int i = 0; i < 4; i++) {
		calls[i].client = client;
		calls[i].request = (struct llm_request){ url, "{}", NULL, 0.5, 0, NULL };
		pthread_create(&threads[i], NULL, make_call, &calls[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		down += calls[i].response.failure == LLM_FAIL_DOWN;
		timed_out += calls[i].response.failure == LLM_FAIL_TIMEOUT;
		llm_response_free(&calls[i].response);
	}
	assert_int_equal(timed_out, 1);
	assert_int_equal(down, 3);
	assert_int_equal(s->requests, LLM_BREAKER_FAILURES + 1);

	/* The failed probe started a new cool-down. */
	{
		struct llm_request request = { url, "{}", NULL, 0.5, 0, NULL };

		assert_int_equal(llm_client_send(client, &request, &response), -1);
		assert_int_equal(response.failure, LLM_FAIL_DOWN);
	}
	llm_client_free(client);
	test_server_stop(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_answers_and_reuses_connections),
		cmocka_unit_test(test_client_keeps_requests_in_flight),
		cmocka_unit_test(test_client_times_out),
		cmocka_unit_test(test_client_retries_server_errors),
		cmocka_unit_test(test_client_gives_up_after_retries),
		cmocka_unit_test(test_client_cut_body),
		cmocka_unit_test(test_client_rejects_huge_body),
		cmocka_unit_test(test_client_breaker_opens),
		cmocka_unit_test(test_client_breaker_probes_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
