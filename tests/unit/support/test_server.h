/*
 * A small HTTP/1.1 server for the unit tests, run on a thread inside the
 * test on 127.0.0.1 with a random port: it answers each request after an
 * optional delay in one of several ways (a JSON body, a 500, a hang, a
 * connection closed mid-body, a 2 MiB body, a 422 with a text body, a
 * connection closed with no reply) and counts requests, connections and
 * the most requests it served at once.
 *
 * Ownership: test_server_start returns a server freed by test_server_stop.
 */
#ifndef CALTUNE_TEST_SERVER_H
#define CALTUNE_TEST_SERVER_H

#include <pthread.h>
#include <stdbool.h>

enum server_mode {
	SERVE_OK,          /* 200 with `body` */
	SERVE_500,
	SERVE_HANG,        /* never answers */
	SERVE_CLOSE,       /* closes in the middle of the body */
	SERVE_HUGE,        /* a 2 MiB body */
	SERVE_FAIL_FIRST,  /* 503 for the first `fail_first` requests, then SERVE_OK */
	SERVE_422,         /* 422 with a plain-text body, as Duckling rejects a request */
	SERVE_NOTHING      /* closes the connection without any reply */
};

struct server {
	int listener;
	int port;
	pthread_t thread;
	enum server_mode mode;
	int delay_ms;
	int fail_first;
	const char *body;              /* the 200 body; a chat answer by default */
	char last_request[8192];       /* the last request's body, for checks */
	pthread_mutex_t lock;
	int requests;
	int connections;
	int active;
	int max_active;
	volatile bool stop;
};

struct server *test_server_start(enum server_mode mode, int delay_ms);
void test_server_stop(struct server *s);

/* A port on 127.0.0.1 with nothing listening on it. */
int test_dead_port(void);

#endif
