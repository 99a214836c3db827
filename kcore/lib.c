// SPDX-License-Identifier: GPL-2.0
/* Freestanding string and memory helpers for KCore. */
#include "lib.h"

/* A 64-bit word that may alias anything (the helpers below store through it). */
typedef u64 __attribute__((may_alias)) word_t;

/* Byte-wise up to 8-byte alignment, then whole words: pages are scrubbed
 * with this, and exit records cleared on every guest exit. */
void *kc_memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 w = 0x0101010101010101UL * (u8)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (u8)c;
	for (; n >= 8; n -= 8, d += 8)
		*(word_t *)d = w;
	for (; n; n--)
		*d++ = (u8)c;
	return dst;
}

void *kc_memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--)
			*d++ = *s++;
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(word_t *)d = *(const word_t *)s;
	}
	for (; n; n--)
		*d++ = *s++;
	return dst;
}

int kc_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t kc_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int kc_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (u8)*a - (u8)*b;
}

/* The first @n bytes of @a equal @b, and @b is exactly @n bytes long. */
bool kc_streq_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] || !b[i])
			return false;
	return b[n] == '\0';
}
