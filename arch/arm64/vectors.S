/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 exception vectors. Traps from KServ (lower EL) save its general
 * registers in a struct trap_frame on this CPU's EL2 stack, call C, restore
 * and return. Exceptions taken from EL2 itself are KCore bugs: they are
 * reported and the CPU stops.
 */
#include "asm_offsets.h"

	.macro	save_frame
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x0, elr_el2
	stp	x30, x0, [sp, #TF_ELR - 8]
	mrs	x0, spsr_el2
	str	x0, [sp, #TF_SPSR]
	mov	x0, sp
	.endm

	.macro	restore_frame_eret
	ldr	x0, [sp, #TF_SPSR]
	msr	spsr_el2, x0
	ldp	x30, x0, [sp, #TF_ELR - 8]
	msr	elr_el2, x0
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #TF_SIZE
	eret
	dsb	nsh
	isb
	.endm

	.macro	vector, handler, kind
	.balign	128
	save_frame
	mov	x1, #\kind
	b	\handler
	.endm

	.text
	.balign	2048
	.global el2_vectors
el2_vectors:
	vector	el2_bug, 0		// current EL, SP_EL0: sync
	vector	el2_bug, 1		// irq
	vector	el2_bug, 2		// fiq
	vector	el2_bug, 3		// serror
	vector	el2_bug, 4		// current EL, SP_ELx: sync
	vector	el2_bug, 5
	vector	el2_bug, 6
	vector	el2_bug, 7
	vector	lower_trap, 0		// lower EL, AArch64: sync
	vector	lower_trap, 1		// irq
	vector	lower_trap, 2		// fiq
	vector	lower_trap, 3		// serror
	vector	lower_trap, 0		// lower EL, AArch32: sync
	vector	lower_trap, 1
	vector	lower_trap, 2
	vector	lower_trap, 3

el2_bug:
	bl	arm64_el2_exception	// does not return

lower_trap:
	bl	arm64_lower_trap
	restore_frame_eret

/*
 * arm64_enter_kserv(entry, arg, stack_top): leave for KServ at EL1h with
 * interrupts masked, x0 = @arg and every other register zero. Traps from
 * KServ then start on a clean EL2 stack at @stack_top.
 */
	.global arm64_enter_kserv
arm64_enter_kserv:
	msr	elr_el2, x0
	mov	x3, #0x3c5		// EL1h, DAIF masked
	msr	spsr_el2, x3
	mov	sp, x2
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	eret
	dsb	nsh
	isb

/* arm64_firmware_smc(regs): SMC to the firmware with x0..x3 from regs[0..3],
 * results written back to regs[0..3]. */
	.global arm64_firmware_smc
arm64_firmware_smc:
	stp	x19, x30, [sp, #-16]!
	mov	x19, x0
	ldp	x0, x1, [x19]
	ldp	x2, x3, [x19, #16]
	smc	#0
	stp	x0, x1, [x19]
	stp	x2, x3, [x19, #16]
	ldp	x19, x30, [sp], #16
	ret
