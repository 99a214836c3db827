/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering and leaving a guest. __guest_run() saves KServ's callee-saved
 * registers on this CPU's EL2 stack, installs the guest vector table, loads
 * the guest's general registers and erets. Any exception from the guest
 * lands in el2_guest_vectors, which saves the guest's registers back into its
 * struct gp_regs and returns from __guest_run() with the exception kind.
 */
#include "asm_offsets.h"

	.text
/* u64 __guest_run(struct gp_regs *guest) */
	.global __guest_run
__guest_run:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, tpidr_el2
	str	x0, [x1, #PERCPU_GUEST_GP]
	ldr	x1, =el2_guest_vectors
	msr	vbar_el2, x1
	ldp	x1, x2, [x0, #GP_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	isb
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #16 * 15]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh
	isb

guest_exit:				// guest x0, x1 at [sp]; x1 = kind
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_GUEST_GP]
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #16 * 15]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GP_PC]
	ldr	x2, =el2_vectors
	msr	vbar_el2, x2
	isb
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
	.ltorg

	.macro	gvector, kind
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
	.endm

	.macro	bugvector, kind
	.balign	128
	b	el2_guest_bug_\kind
	.endm

	.balign	2048
	.global el2_guest_vectors
el2_guest_vectors:
	bugvector 0			// current EL, SP_EL0
	bugvector 1
	bugvector 2
	bugvector 3
	bugvector 4			// current EL, SP_ELx
	bugvector 5
	bugvector 6
	bugvector 7
	gvector	0			// lower EL, AArch64: sync
	gvector	1			// irq
	gvector	2			// fiq
	gvector	3			// serror
	gvector	0			// lower EL, AArch32
	gvector	1
	gvector	2
	gvector	3

	/* KCore faulting while a guest's vectors are installed: a KCore bug. */
	.irp	k, 0, 1, 2, 3, 4, 5, 6, 7
el2_guest_bug_\k:
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp]
	mrs	x0, elr_el2
	str	x0, [sp, #TF_ELR]
	mov	x0, sp
	mov	x1, #\k
	bl	arm64_el2_exception
	.endr

/* fpsimd_save(struct fp_regs *), fpsimd_restore(const struct fp_regs *) */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x3, x0, #512
	stp	x1, x2, [x3]
	ret

	.global fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
