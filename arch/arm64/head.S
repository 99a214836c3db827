/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KCore's entry points: the arm64 Image header, the primary entry from the
 * boot loader, the MMU switch used when KCore moves into its carve-out, and
 * the warm entry of every CPU that PSCI powers on or resumes.
 *
 * The primary entry runs with the MMU off at whatever 2 MiB-aligned address
 * the loader chose. It builds minimal boot tables (an identity map of the
 * 2 MiB block it runs from, and that block again at KCORE_VA_BASE), turns the
 * MMU on and continues in C at the linked addresses.
 */
#include "sysreg.h"
#include "asm_offsets.h"

#define BLOCK_NORMAL_RWX 0x745 /* valid block, AttrIndx 1, AP[1], SH inner, AF */
/* At EL1, AP[1] would make the block EL0-writable and so never executable at
 * EL1: the EL1 (refusal) path uses the same block without it. */
#define BLOCK_EL1_RWX 0x705
#define TABLE_DESC 0x3
#define MAIR_VALUE 0x44ff04 /* must match MAIR_EL2_VALUE in kcore/pgtable.h */

	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	/* Clean and invalidate [\start, \start + \len) to the PoC. */
	.macro	dcache_op, op, start, len, t0, t1
	mrs	\t0, ctr_el0
	ubfx	\t0, \t0, #16, #4
	mov	\t1, #4
	lsl	\t0, \t1, \t0		// line size in bytes
	add	\len, \start, \len
	sub	\t1, \t0, #1
	bic	\start, \start, \t1
9:	dc	\op, \start
	add	\start, \start, \t0
	cmp	\start, \len
	b.lo	9b
	dsb	sy
	.endm

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry		// code0
	.long	0			// code1
	.quad	0			// text_offset
	.quad	0			// image_size, set by scripts/mkimage.py
	.quad	0xa			// flags: little endian, 4K pages, anywhere
	.quad	0, 0, 0			// res2..res4
	.ascii	"ARM\x64"		// magic
	.long	0			// res5

	.section .idmap.text, "ax"
primary_entry:
	mov	x19, x0			// DTB
	adr	x20, _head		// where the loader put us
	mrs	x21, CurrentEL
	ubfx	x21, x21, #2, #2
	tst	x20, #0x1fffff
	b.ne	hang			// the header asks for 2 MiB alignment

	mov	x22, #BLOCK_NORMAL_RWX
	cmp	x21, #2
	b.eq	0f
	mov	x22, #BLOCK_EL1_RWX
0:
	/* Zero .bss (which holds the boot tables and the boot stack). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	/* Identity map of the 2 MiB block we run from. */
	adr_l	x0, boot_l0
	adr_l	x1, boot_l1_id
	adr_l	x2, boot_l2_id
	lsr	x3, x20, #39
	orr	x4, x1, #TABLE_DESC
	str	x4, [x0, x3, lsl #3]
	ubfx	x3, x20, #30, #9
	orr	x4, x2, #TABLE_DESC
	str	x4, [x1, x3, lsl #3]
	ubfx	x3, x20, #21, #9
	orr	x4, x22, x20
	str	x4, [x2, x3, lsl #3]
	/* The same block at KCORE_VA_BASE (L0 index 511, L1 and L2 index 0). */
	adr_l	x1, boot_l1_va
	adr_l	x2, boot_l2_va
	orr	x4, x1, #TABLE_DESC
	str	x4, [x0, #511 * 8]
	orr	x4, x2, #TABLE_DESC
	str	x4, [x1]
	orr	x4, x22, x20
	str	x4, [x2]

	/* Written with the MMU off: drop any stale cached copies. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
	sub	x1, x1, x0
	dcache_op ivac, x0, x1, x2, x3

	mrs	x1, id_aa64mmfr0_el1	// PARange, capped at 48 bits
	and	x1, x1, #0xf
	mov	x2, #5
	cmp	x1, x2
	csel	x1, x1, x2, lo
	adr_l	x0, boot_l0
	ldr	x2, =MAIR_VALUE
	cmp	x21, #2
	b.eq	mmu_on_el2
	cmp	x21, #1
	b.ne	hang

	/* Entered at EL1: turn on the EL1 MMU just to report the problem. */
	msr	mair_el1, x2
	lsl	x1, x1, #TCR_EL1_IPS_SHIFT
	ldr	x2, =(TCR_T0SZ_48 | TCR_WALK_ATTRS | TCR_EL1_EPD1)
	orr	x1, x1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ic	iallu
	ldr	x0, =(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
	msr	sctlr_el1, x0
	isb
	b	to_virtual

mmu_on_el2:
	msr	mair_el2, x2
	lsl	x1, x1, #TCR_EL2_PS_SHIFT
	ldr	x2, =(TCR_T0SZ_48 | TCR_WALK_ATTRS | TCR_EL2_RES1)
	orr	x1, x1, x2
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ic	iallu
	ldr	x0, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
	msr	sctlr_el2, x0
	isb

to_virtual:
	ldr	x0, =boot_virtual
	br	x0

hang:
	wfe
	b	hang

/*
 * kcore_relocate(dst_pa, len, ttbr, sctlr): copy KCore's image to @dst_pa
 * (identity mapped), clean it to the PoC, then continue in the copy's
 * kcore_mmu_switch, which installs @ttbr and returns to our caller's
 * virtual address, now backed by the copy. No store after the copy starts,
 * so the copy holds this CPU's stack exactly as it is.
 */
	.global kcore_relocate
kcore_relocate:
	adr_l	x4, _head		// a KCORE_VA_BASE address while running
	mov	x5, x0
	mov	x6, x1
1:	ldp	x7, x8, [x4], #16
	stp	x7, x8, [x5], #16
	subs	x6, x6, #16
	b.hi	1b
	mov	x5, x0
	mov	x6, x1
	dcache_op cvac, x5, x6, x7, x8
	ic	iallu
	dsb	ish
	isb
	adr_l	x4, kcore_mmu_switch
	adr_l	x5, _head
	sub	x4, x4, x5
	add	x4, x4, x0
	mov	x0, x2
	mov	x1, x3
	br	x4

/*
 * kcore_mmu_switch(ttbr, sctlr): runs from an identity mapping. Turns the
 * MMU off, installs @ttbr with a clean TLB, turns it back on with @sctlr.
 */
	.global kcore_mmu_switch
kcore_mmu_switch:
	mrs	x2, sctlr_el2
	bic	x2, x2, #SCTLR_M
	msr	sctlr_el2, x2
	isb
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Warm entry of a CPU powered on (or resumed) by PSCI at KCore's request:
 * EL2, MMU off, x0 = the physical (= identity) address of its struct percpu.
 * The MMU configuration was cleaned to the PoC by the CPU that started us.
 */
	.global kcore_warm_entry
kcore_warm_entry:
	mov	x19, x0
	adr_l	x1, el2_mmu_cfg
	ldp	x2, x3, [x1, #MMU_CFG_MAIR]
	ldp	x4, x5, [x1, #MMU_CFG_TTBR]
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ic	iallu
	msr	sctlr_el2, x5
	isb
	ldr	x1, [x19, #PERCPU_STACK_TOP]
	mov	sp, x1
	mov	x0, x19
	ldr	x1, =kcore_warm_main
	br	x1
	.ltorg

	.text
boot_virtual:
	ldr	x0, =boot_stack_top
	mov	sp, x0
	cmp	x21, #2
	b.ne	1f
	ldr	x0, =el2_vectors
	msr	vbar_el2, x0
	isb
1:	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	kcore_boot
	b	hang
	.ltorg

	.section .bss.boot, "aw", %nobits
	.balign	4096
	.global boot_l0
boot_l0:	.space	4096
boot_l1_id:	.space	4096
boot_l2_id:	.space	4096
boot_l1_va:	.space	4096
boot_l2_va:	.space	4096
	.balign	16
boot_stack:	.space	16384
boot_stack_top:
