/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types for KCore. Physical addresses, guest-physical addresses (IPAs)
 * and KCore's own virtual addresses are distinct one-member structs so that
 * they cannot be mixed up by accident; convert explicitly.
 */
#ifndef KCORE_TYPES_H
#define KCORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

typedef struct {
	u64 v;
} paddr_t;
typedef struct {
	u64 v;
} ipa_t;
typedef struct {
	u64 v;
} vaddr_t;

/*@ assigns \nothing;
    ensures \result.v == v;
 */
static inline paddr_t pa(u64 v)
{
	return (paddr_t){ v };
}
/*@ assigns \nothing;
    ensures \result.v == v;
 */
static inline ipa_t ipa(u64 v)
{
	return (ipa_t){ v };
}
/*@ assigns \nothing;
    ensures \result.v == v;
 */
static inline vaddr_t va(u64 v)
{
	return (vaddr_t){ v };
}

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (u64)(a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1UL << (n))

/* IS_ALIGNED(x, PAGE_SIZE) in a form the provers handle (the same code). */
/*@ assigns \nothing;
    ensures \result <==> x % PAGE_SIZE == 0;
 */
static inline bool page_aligned(u64 x)
{
	return x % PAGE_SIZE == 0;
}

/* A half-open physical range [base, base + size). */
struct range {
	u64 base;
	u64 size;
};

/*@ // The end of [base, base + size) is a u64: it does not wrap around.
    predicate no_wrap(integer base, integer size) = base + size <= UINT64_MAX;
 */

/*@ requires \valid_read(r);
    requires no_wrap(r->base, r->size);
    assigns \nothing;
    ensures \result == r->base + r->size;
 */
static inline u64 range_end(const struct range *r)
{
	return r->base + r->size;
}

/* True when [a, a + as) and [b, b + bs) overlap; sizes may be zero. */
/*@ requires no_wrap(a, as) && no_wrap(b, bs);
    assigns \nothing;
    ensures \result <==> (as != 0 && bs != 0 && a < b + bs && b < a + as);
 */
static inline bool ranges_overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return as != 0 && bs != 0 && a < b + bs && b < a + as;
}

/* [inner, inner + is) lies within [outer, outer + os), without overflow. */
/*@ assigns \nothing;
    ensures \result <==> (outer <= inner && inner + is <= outer + os);
 */
static inline bool range_within(u64 inner, u64 is, u64 outer, u64 os)
{
	return inner >= outer && is <= os && inner - outer <= os - is;
}

#endif /* KCORE_TYPES_H */
