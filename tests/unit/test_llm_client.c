/*
 * The LLM tier's HTTP client against a small HTTP/1.1 server run inside
 * the test on 127.0.0.1: requests in flight at once, connection reuse,
 * timeouts, retries, the circuit breaker and the body size limit.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/clock.h"
#include "engine/llm_client.h"

enum server_mode { SERVE_OK, SERVE_500, SERVE_HANG, SERVE_CLOSE, SERVE_HUGE, SERVE_FAIL_FIRST };

struct server {
	int listener;
	int port;
	pthread_t thread;
	enum server_mode mode;
	int delay_ms;
	int fail_first;                /* SERVE_FAIL_FIRST: this many 503s first */
	pthread_mutex_t lock;
	int requests;
	int connections;
	int active;
	int max_active;
	volatile bool stop;
};

struct connection {
	struct server *server;
	int fd;
};

/* Reads one request (headers and a Content-Length body); false at EOF. */
static bool read_request(int fd)
{
	char buf[65536];
	size_t n = 0;
	long length = 0;
	char *end = NULL;

	while (!end) {
		ssize_t got = recv(fd, buf + n, sizeof buf - n - 1, 0);

		if (got <= 0)
			return false;
		n += (size_t)got;
		buf[n] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	{
		char *cl = strstr(buf, "Content-Length:");  /* libcurl writes it in this case */
		size_t have = n - (size_t)(end + 4 - buf);

		if (cl)
			length = strtol(cl + 15, NULL, 10);
		while ((long)have < length) {
			ssize_t got = recv(fd, buf, sizeof buf, 0);

			if (got <= 0)
				return false;
			have += (size_t)got;
		}
	}
	return true;
}

static void send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t sent = send(fd, data, len, MSG_NOSIGNAL);

		if (sent <= 0)
			return;
		data += sent;
		len -= (size_t)sent;
	}
}

static void *serve_connection(void *arg)
{
	struct connection *conn = arg;
	struct server *s = conn->server;

	while (!s->stop && read_request(conn->fd)) {
		static const char ok_body[] = "{\"message\":{\"content\":\"{}\"}}";
		char head[256];
		int number;

		pthread_mutex_lock(&s->lock);
		number = ++s->requests;
		if (++s->active > s->max_active)
			s->max_active = s->active;
		pthread_mutex_unlock(&s->lock);
		if (s->delay_ms)
			usleep((useconds_t)s->delay_ms * 1000);
		if (s->mode == SERVE_HANG) {
			while (!s->stop)
				usleep(10000);
		} else if (s->mode == SERVE_500 || (s->mode == SERVE_FAIL_FIRST && number <= s->fail_first)) {
			snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Length: 2\r\n\r\n{}",
				 s->mode == SERVE_500 ? "500 Internal Server Error" : "503 Service Unavailable");
			send_all(conn->fd, head, strlen(head));
		} else if (s->mode == SERVE_CLOSE) {
			snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"mess");
			send_all(conn->fd, head, strlen(head));
			pthread_mutex_lock(&s->lock);
			s->active--;
			pthread_mutex_unlock(&s->lock);
			break;
		} else if (s->mode == SERVE_HUGE) {
			static char chunk[65536];
			size_t total = 2 * 1024 * 1024;

			memset(chunk, 'x', sizeof chunk);
			snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", total);
			send_all(conn->fd, head, strlen(head));
			for (size_t sent = 0; sent < total; sent += sizeof chunk)
				send_all(conn->fd, chunk, sizeof chunk);
		} else {
			snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				 "Content-Length: %zu\r\n\r\n", strlen(ok_body));
			send_all(conn->fd, head, strlen(head));
			send_all(conn->fd, ok_body, strlen(ok_body));
		}
		pthread_mutex_lock(&s->lock);
		s->active--;
		pthread_mutex_unlock(&s->lock);
	}
	close(conn->fd);
	free(conn);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct server *s = arg;

	while (!s->stop) {
		int fd = accept(s->listener, NULL, NULL);
		struct connection *conn;
		pthread_t thread;

		if (fd < 0)
			break;
		conn = malloc(sizeof *conn);
		conn->server = s;
		conn->fd = fd;
		pthread_mutex_lock(&s->lock);
		s->connections++;
		pthread_mutex_unlock(&s->lock);
		pthread_create(&thread, NULL, serve_connection, conn);
		pthread_detach(thread);
	}
	return NULL;
}

static struct server *server_start(enum server_mode mode, int delay_ms)
{
	struct server *s = calloc(1, sizeof *s);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof addr;
	int one = 1;

	s->mode = mode;
	s->delay_ms = delay_ms;
	pthread_mutex_init(&s->lock, NULL);
	s->listener = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->listener, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(s->listener, 64), 0);
	getsockname(s->listener, (struct sockaddr *)&addr, &len);
	s->port = ntohs(addr.sin_port);
	pthread_create(&s->thread, NULL, accept_loop, s);
	return s;
}

static void server_stop(struct server *s)
{
	s->stop = true;
	shutdown(s->listener, SHUT_RDWR);
	close(s->listener);
	pthread_join(s->thread, NULL);
	/* Connection threads see `stop` within 10 ms; give them time to leave. */
	usleep(50000);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* A port on 127.0.0.1 with nothing listening: bound, then closed. */
static int dead_port(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof addr;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&addr, sizeof addr);
	getsockname(fd, (struct sockaddr *)&addr, &len);
	port = ntohs(addr.sin_port);
	close(fd);
	return port;
}

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
	struct server *s = server_start(SERVE_OK, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(2, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 0 };
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
	server_stop(s);
}

static void test_client_keeps_requests_in_flight(void **state)
{
	struct server *s = server_start(SERVE_OK, 200);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(8, err, sizeof err);
	struct call calls[16];
	pthread_t threads[16];
	int64_t begin = clock_now_ns(), elapsed_ms;

	(void)state;
	url_for(url, sizeof url, s->port);
	for (int i = 0; i < 16; i++) {
		calls[i] = (struct call){ client, { url, "{}", NULL, 5.0, 0 }, { 0 }, -1 };
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
	server_stop(s);
}

static void test_client_times_out(void **state)
{
	struct server *s = server_start(SERVE_HANG, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 0.3, 1 };
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
	server_stop(s);
}

static void test_client_retries_server_errors(void **state)
{
	struct server *s = server_start(SERVE_FAIL_FIRST, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 2 };
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
	server_stop(s);
}

static void test_client_gives_up_after_retries(void **state)
{
	struct server *s = server_start(SERVE_500, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 1 };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_HTTP);
	assert_int_equal(response.status, 500);
	assert_int_equal(response.attempts, 2);
	assert_non_null(strstr(response.error, "HTTP 500"));
	llm_client_free(client);
	server_stop(s);
}

static void test_client_cut_body(void **state)
{
	struct server *s = server_start(SERVE_CLOSE, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 2.0, 0 };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_CUT);
	assert_null(response.body);
	llm_client_free(client);
	server_stop(s);
}

static void test_client_rejects_huge_body(void **state)
{
	struct server *s = server_start(SERVE_HUGE, 0);
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 5.0, 0 };
	struct llm_response response;

	(void)state;
	url_for(url, sizeof url, s->port);
	assert_int_equal(llm_client_send(client, &request, &response), -1);
	assert_int_equal(response.failure, LLM_FAIL_TOO_LARGE);
	assert_null(response.body);
	llm_client_free(client);
	server_stop(s);
}

/* Against a port with nothing listening, three refused connections mark
 * the server down; calls after that fail at once without connecting. */
static void test_client_breaker_opens(void **state)
{
	char err[256], url[64];
	struct llm_client *client = llm_client_new(1, err, sizeof err);
	struct llm_request request = { url, "{}", NULL, 1.0, 2 };
	struct llm_response response;
	struct llm_client_stats stats;
	int64_t begin;

	(void)state;
	url_for(url, sizeof url, dead_port());
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
