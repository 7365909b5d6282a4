/*
 * SHA-256 (FIPS 180-4, section 6.2), used to fingerprint corpus files so a
 * run records exactly which corpus it scored.
 *
 * A context is a plain value: init, feed any number of byte ranges with
 * update, then final. Nothing is allocated.
 */
#ifndef CALTUNE_SHA256_H
#define CALTUNE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65   /* 64 hex digits and a NUL */

struct sha256_ctx {
	uint32_t state[8];
	uint64_t length;          /* bytes fed so far */
	uint8_t block[64];        /* partial block not yet compressed */
	size_t used;              /* bytes in block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Writes the digest of len bytes as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_SIZE]);

#endif
