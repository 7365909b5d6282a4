/*
 * SHA-256 against the FIPS 180-2 example vectors and the padding
 * boundaries (55, 56, 63, 64 bytes), and incremental updates against
 * one-shot hashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/sha256.h"

struct vector {
	const char *input;
	size_t repeat;        /* the input repeated this many times */
	const char *digest;
};

static const struct vector vectors[] = {
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
	  "mnopqrsmnopqrstnopqrstu", 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "a", 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ "a", 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ "a", 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ "a", 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ "a", 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

static char *repeat(const char *s, size_t times, size_t *len)
{
	size_t n = strlen(s);
	char *buf = malloc(n * times + 1);

	assert_non_null(buf);
	for (size_t i = 0; i < times; i++)
		memcpy(buf + i * n, s, n);
	buf[n * times] = '\0';
	*len = n * times;
	return buf;
}

static void test_sha256_known_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		char hex[SHA256_HEX_SIZE];
		size_t len;
		char *input = repeat(vectors[i].input, vectors[i].repeat, &len);

		sha256_hex(input, len, hex);
		assert_string_equal(hex, vectors[i].digest);
		free(input);
	}
}

static void test_sha256_incremental_matches_oneshot(void **state)
{
	uint8_t data[1024];
	uint8_t oneshot[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	(void)state;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	sha256_init(&ctx);
	sha256_update(&ctx, data, sizeof data);
	sha256_final(&ctx, oneshot);

	/* Every split point, and feeding one byte at a time. */
	for (size_t split = 0; split <= 130; split++) {
		uint8_t digest[SHA256_DIGEST_SIZE];

		sha256_init(&ctx);
		sha256_update(&ctx, data, split);
		sha256_update(&ctx, data + split, sizeof data - split);
		sha256_final(&ctx, digest);
		assert_memory_equal(digest, oneshot, sizeof digest);
	}
	{
		uint8_t digest[SHA256_DIGEST_SIZE];

		sha256_init(&ctx);
		for (size_t i = 0; i < sizeof data; i++)
			sha256_update(&ctx, data + i, 1);
		sha256_final(&ctx, digest);
		assert_memory_equal(digest, oneshot, sizeof digest);
	}
}

static void test_sha256_bytes_0_to_255(void **state)
{
	uint8_t data[1024];
	char hex[SHA256_HEX_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	sha256_hex(data, sizeof data, hex);
	assert_string_equal(hex, "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_known_vectors),
		cmocka_unit_test(test_sha256_incremental_matches_oneshot),
		cmocka_unit_test(test_sha256_bytes_0_to_255),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
