/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Armv8-A VMSA page tables with the 4 KiB granule, for both KCore's own EL2
 * stage-1 and the stage-2 tables of KServ and VMs. Every change of a valid
 * entry goes through one break-before-make helper (pte_set_live) that issues
 * the TLB invalidation the change requires. Callers serialise updates of one
 * table with that table's lock.
 */
#ifndef KCORE_PGTABLE_H
#define KCORE_PGTABLE_H

#include "palloc.h"
#include "types.h"

enum pt_stage {
	PT_EL2_S1, /* KCore's own translation regime */
	PT_S2,	   /* a stage-2 table: KServ's or a VM's */
};

enum pt_mem {
	PT_MEM_NORMAL, /* write-back cacheable, inner shareable */
	PT_MEM_DEVICE, /* Device-nGnRE */
};

#define PT_R 1U
#define PT_W 2U
#define PT_X 4U

struct pt_prot {
	enum pt_mem mem;
	u32 perm; /* PT_R | PT_W | PT_X */
};

struct pgtable {
	paddr_t root;
	enum pt_stage stage;
	u32 start_level; /* 0 or 1 */
	u32 ia_bits;	 /* input address size */
	u16 vmid;	 /* stage-2 only */
	struct page_pool *pool;
};

/* Descriptor bits (Arm ARM D8.3). */
#define PTE_VALID BIT(0)
#define PTE_TYPE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_OA_MASK 0x0000fffffffff000UL
#define PTE_S1_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_S1_AP_RO BIT(7)
#define PTE_S1_AP1 BIT(6) /* RES1 in the EL2 regime */
#define PTE_S1_XN BIT(54)
#define PTE_S2_MEMATTR(a) ((u64)(a) << 2)
#define PTE_S2_AP_R BIT(6)
#define PTE_S2_AP_W BIT(7)
#define PTE_S2_XN (2UL << 53)

/* MAIR_EL2 indices used by KCore's stage-1. */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL 1
#define MT_NORMAL_NC 2
#define MAIR_EL2_VALUE 0x44ff04UL

#define PT_LEVELS 4

static inline u32 pt_shift(u32 level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

static inline u64 pt_level_size(u32 level)
{
	return 1UL << pt_shift(level);
}

/* Set up @pt with a fresh, empty root from @pool. */
int pt_init(struct pgtable *pt, enum pt_stage stage, u32 ia_bits, u16 vmid, struct page_pool *pool);
/* Map [ia, ia + size) to [p, p + size), using the largest blocks that fit.
 * Existing mappings in the range are replaced. 0 or -KCORE_E*. On -ENOMEM
 * part of the range may already be mapped. */
int pt_map(struct pgtable *pt, u64 ia, paddr_t p, u64 size, struct pt_prot prot);
/* Unmap [ia, ia + size), splitting blocks that straddle its ends. */
int pt_unmap(struct pgtable *pt, u64 ia, u64 size);
/* Translate @ia: true with the output address, the leaf's level and the
 * raw descriptor when mapped. */
bool pt_lookup(const struct pgtable *pt, u64 ia, paddr_t *out, u32 *level, u64 *pte);
/* The descriptor bits (other than address and type) for @prot. */
u64 pt_prot_bits(enum pt_stage stage, struct pt_prot prot);

#endif /* KCORE_PGTABLE_H */
