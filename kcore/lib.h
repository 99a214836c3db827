/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding string and memory helpers for KCore. */
#ifndef KCORE_LIB_H
#define KCORE_LIB_H

#include "types.h"

/*
 * The contracts (scripts/prove.sh, docs/verification.md). WP's typed memory
 * model keeps bytes and 64-bit words apart, so kc_memset and kc_memcpy are
 * specified for the inputs where they store one kind only: whole words at
 * an 8-aligned address (pages, records: what the proved files clear), or
 * fewer than 8 bytes; their preconditions are these inputs. Other inputs
 * (unproved callers pass some) mix byte and word stores, which that model
 * cannot express: they are left to the unit tests (test_log.c: every
 * alignment and length).
 */

/*@ // p is 8-byte aligned as an address.
    predicate word_aligned(void *p) = (uintptr_t)p % 8 == 0;

    // How many bytes at dst kc_memset and kc_memcpy store one by one: none
    // for whole words at an aligned address, else (fewer than 8) all n.
    logic integer byte_stores(void *dst, integer n) = (uintptr_t)dst % 8 == 0 && n % 8 == 0 ? 0 : n;
 */

/*@ requires word_aligned(dst) && n % 8 == 0 || n < 8;
    requires 0 <= c <= 255;
    assigns ((u64 *)dst)[0 .. n / 8 - 1], ((u8 *)dst)[0 .. byte_stores(dst, n) - 1];
    behavior words:
      assumes word_aligned(dst) && n % 8 == 0;
      requires \valid((u64 *)dst + (0 .. n / 8 - 1));
      ensures \forall integer k; 0 <= k < n / 8 ==> ((u64 *)dst)[k] == 0x0101010101010101 * c;
      ensures \result == dst;
    behavior bytes:
      assumes n < 8;
      requires \valid((u8 *)dst + (0 .. n - 1));
      ensures \forall integer k; 0 <= k < n ==> ((u8 *)dst)[k] == c;
      ensures \result == dst;
    complete behaviors;
 */
void *kc_memset(void *dst, int c, size_t n);

/*@ requires word_aligned(dst) && word_aligned(src) && n % 8 == 0 || n < 8;
    assigns ((u64 *)dst)[0 .. n / 8 - 1], ((u8 *)dst)[0 .. byte_stores(dst, n) - 1];
    behavior words:
      assumes word_aligned(dst) && word_aligned(src) && n % 8 == 0;
      requires \valid((u64 *)dst + (0 .. n / 8 - 1));
      requires \valid_read((u64 *)src + (0 .. n / 8 - 1));
      requires \separated((u64 *)dst + (0 .. n / 8 - 1), (u64 *)src + (0 .. n / 8 - 1));
      ensures \forall integer k; 0 <= k < n / 8 ==> ((u64 *)dst)[k] == \old(((u64 *)src)[k]);
      ensures \result == dst;
    behavior bytes:
      assumes n < 8;
      requires \valid((u8 *)dst + (0 .. n - 1));
      requires \valid_read((u8 *)src + (0 .. n - 1));
      requires \separated((u8 *)dst + (0 .. n - 1), (u8 *)src + (0 .. n - 1));
      ensures \forall integer k; 0 <= k < n ==> ((u8 *)dst)[k] == \old(((u8 *)src)[k]);
      ensures \result == dst;
    complete behaviors;
 */
void *kc_memcpy(void *dst, const void *src, size_t n);

/*@ requires \valid_read((u8 *)a + (0 .. n - 1)) && \valid_read((u8 *)b + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 0 <==> \forall integer k; 0 <= k < n ==> ((u8 *)a)[k] == ((u8 *)b)[k];
    ensures \result == -1 || \result == 0 || \result == 1;
 */
int kc_memcmp(const void *a, const void *b, size_t n);

/*@ // s can be read up to its first NUL, or up to max bytes.
    predicate readable_nstring(char *s, integer max) =
      \forall integer i; 0 <= i < max ==> (\forall integer j; 0 <= j < i ==> s[j] != 0) ==> \valid_read(s + i);
 */

/*@ requires readable_nstring(s, max);
    assigns \nothing;
    ensures 0 <= \result <= max;
    ensures \forall integer k; 0 <= k < \result ==> s[k] != 0;
    ensures \result < max ==> s[\result] == 0;
 */
size_t kc_strnlen(const char *s, size_t max);

int kc_strcmp(const char *a, const char *b);

/*@ requires readable_nstring(b, n + 1);
    requires \forall integer i; 0 <= i < n ==> (\forall integer j; 0 <= j < i ==> a[j] == b[j] && b[j] != 0) ==>
	       \valid_read(a + i);
    assigns \nothing;
    ensures \result <==> (\forall integer k; 0 <= k < n ==> a[k] == b[k] && b[k] != 0) && b[n] == 0;
 */
bool kc_streq_n(const char *a, const char *b, size_t n);

#endif /* KCORE_LIB_H */
