// SPDX-License-Identifier: GPL-2.0
/* Freestanding string and memory helpers for KCore. The contracts are in
 * lib.h. */
#include "lib.h"

/* A 64-bit word that may alias anything (the helpers below store through it). */
typedef u64 __attribute__((may_alias)) word_t;

/* Byte-wise up to 8-byte alignment, then whole words: pages are scrubbed
 * with this, and exit records cleared on every guest exit. */
void *kc_memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 w = 0x0101010101010101UL * (u8)c;
	word_t *wd;
	size_t i, nw;

	/*@ loop invariant 0 <= n <= \at(n, Pre);
	    loop invariant d == (u8 *)dst + (\at(n, Pre) - n);
	    loop invariant \forall integer k; 0 <= k < \at(n, Pre) - n ==> ((u8 *)dst)[k] == c;
	    loop invariant word_aligned(dst) && \at(n, Pre) % 8 == 0 ==> n == \at(n, Pre);
	    loop assigns n, d, ((u8 *)dst)[0 .. byte_stores(dst, \at(n, Pre)) - 1];
	    loop variant n;
	 */
	for (; n && (uintptr_t)d % 8 != 0; n--)
		*d++ = (u8)c;
	wd = (word_t *)d;
	nw = n / 8;
	/*@ loop invariant 0 <= i <= nw;
	    loop invariant \forall integer k; 0 <= k < i ==> wd[k] == w;
	    loop assigns i, wd[0 .. nw - 1];
	    loop variant nw - i;
	 */
	for (i = 0; i < nw; i++)
		wd[i] = w;
	if (nw) /* no arithmetic on a null @dst when n is 0 */
		d += nw * 8;
	n %= 8;
	/*@ loop invariant 0 <= n <= \at(n, LoopEntry);
	    loop invariant d == (u8 *)dst + (\at(n, Pre) - n);
	    loop invariant \at(n, Pre) < 8 ==> \forall integer k; 0 <= k < \at(n, Pre) - n ==> ((u8 *)dst)[k] == c;
	    loop assigns n, d, ((u8 *)dst)[0 .. byte_stores(dst, \at(n, Pre)) - 1];
	    loop variant n;
	 */
	for (; n; n--)
		*d++ = (u8)c;
	return dst;
}

void *kc_memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((uintptr_t)d % 8 == (uintptr_t)s % 8) {
		word_t *wd;
		const word_t *ws;
		size_t i, nw;

		/*@ loop invariant 0 <= n <= \at(n, Pre);
		    loop invariant d == (u8 *)dst + (\at(n, Pre) - n) && s == (u8 *)src + (\at(n, Pre) - n);
		    loop invariant \forall integer k; 0 <= k < \at(n, Pre) - n ==>
				     ((u8 *)dst)[k] == \at(((u8 *)src)[k], Pre);
		    loop invariant word_aligned(dst) && \at(n, Pre) % 8 == 0 ==> n == \at(n, Pre);
		    for words: loop assigns n, d, s;
		    loop assigns n, d, s, ((u8 *)dst)[0 .. byte_stores(dst, \at(n, Pre)) - 1];
		    loop variant n;
		 */
		for (; n && (uintptr_t)d % 8 != 0; n--)
			*d++ = *s++;
		wd = (word_t *)d;
		ws = (const word_t *)s;
		nw = n / 8;
		/*@ loop invariant 0 <= i <= nw;
		    loop invariant word_aligned(dst) && word_aligned(src) && \at(n, Pre) % 8 == 0 ==>
				     \forall integer k; 0 <= k < i ==> ((u64 *)dst)[k] == \at(((u64 *)src)[k], Pre);
		    loop assigns i, wd[0 .. nw - 1];
		    loop variant nw - i;
		 */
		for (i = 0; i < nw; i++)
			wd[i] = ws[i];
		if (nw) {
			d += nw * 8;
			s += nw * 8;
		}
		n %= 8;
	}
	/*@ loop invariant 0 <= n <= \at(n, LoopEntry);
	    loop invariant d == (u8 *)dst + (\at(n, Pre) - n) && s == (u8 *)src + (\at(n, Pre) - n);
	    loop invariant \at(n, Pre) < 8 ==> \forall integer k; 0 <= k < \at(n, Pre) - n ==>
				       ((u8 *)dst)[k] == \at(((u8 *)src)[k], Pre);
	    loop assigns n, d, s, ((u8 *)dst)[0 .. byte_stores(dst, \at(n, Pre)) - 1];
	    loop variant n;
	 */
	for (; n; n--)
		*d++ = *s++;
	return dst;
}

int kc_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	/*@ loop invariant 0 <= n <= \at(n, Pre);
	    loop invariant x == (u8 *)a + (\at(n, Pre) - n) && y == (u8 *)b + (\at(n, Pre) - n);
	    loop invariant \forall integer k; 0 <= k < \at(n, Pre) - n ==> ((u8 *)a)[k] == ((u8 *)b)[k];
	    loop assigns n, x, y;
	    loop variant n;
	 */
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t kc_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	/*@ loop invariant 0 <= n <= max;
	    loop invariant \forall integer k; 0 <= k < n ==> s[k] != 0;
	    loop assigns n;
	    loop variant max - n;
	 */
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

	/*@ loop invariant 0 <= i <= n;
	    loop invariant \forall integer k; 0 <= k < i ==> a[k] == b[k] && b[k] != 0;
	    loop assigns i;
	    loop variant n - i;
	 */
	for (i = 0; i < n; i++)
		if (a[i] != b[i] || !b[i])
			return false;
	return b[n] == '\0';
}
