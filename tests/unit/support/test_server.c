/*
 * The unit tests' HTTP server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/support/test_server.h"

struct connection {
	struct server *server;
	int fd;
};

/* Reads one request (headers and a Content-Length body) and keeps up to
 * `size` bytes of its body in `keep`; false at EOF. */
static bool read_request(int fd, char *keep, size_t size)
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
		snprintf(keep, size, "%.*s", (int)have, end + 4);
		while ((long)have < length) {
			ssize_t got = recv(fd, buf, sizeof buf - 1, 0);
			size_t kept = strlen(keep);

			if (got <= 0)
				return false;
			if (kept + 1 < size) {
				size_t room = size - kept - 1;
				size_t take = (size_t)got < room ? (size_t)got : room;

				memcpy(keep + kept, buf, take);
				keep[kept + take] = '\0';
			}
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

	char request[8192];

	while (!s->stop && read_request(conn->fd, request, sizeof request)) {
		const char *ok_body = s->body ? s->body : "{\"message\":{\"content\":\"{}\"}}";
		char head[256];
		int number;

		pthread_mutex_lock(&s->lock);
		snprintf(s->last_request, sizeof s->last_request, "%s", request);
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
		} else if (s->mode == SERVE_422) {
			static const char text[] = "Need a 'text' parameter to parse";

			snprintf(head, sizeof head, "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: "
				 "text/plain\r\nContent-Length: %zu\r\n\r\n%s", strlen(text), text);
			send_all(conn->fd, head, strlen(head));
		} else if (s->mode == SERVE_NOTHING) {
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

struct server *test_server_start(enum server_mode mode, int delay_ms)
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

void test_server_stop(struct server *s)
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
int test_dead_port(void)
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

