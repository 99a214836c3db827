// SPDX-License-Identifier: GPL-2.0
/* vCPUs: lifecycle, exit records (what KServ may see) and answers. */
#include "fixture.h"
#include "harness.h"
#include "invariants.h"
#include "vm.h"
#include <kcore/abi.h>

#define EXIT_SYNC(ec, iss) ((struct raw_exit){ 0, (u64)(ec) << 26 | (1UL << 25) | (iss), 0, 0 })
#define ISV (1UL << 24)
#define WNR (1UL << 6)
#define SSE (1UL << 21)
#define SF (1UL << 15)
#define SAS(n) ((u64)(n) << 22)
#define SRT(n) ((u64)(n) << 16)

static u32 vm_with_vcpu(void)
{
	u32 h;

	fixture_machine(32UL << 20, 1);
	CHECK_EQ(vm_create(pa(ram(0x100000)), 8, 40, &h), 0);
	CHECK_EQ(vcpu_create(h, 0), 0);
	CHECK_EQ(vcpu_init(h, 0, 0x80000, 0x1234), 0);
	return h;
}

static struct vcpu *vcpu0(u32 h)
{
	return vm_lookup(h)->vcpus[0];
}

static struct exit_record run(u32 h, u64 flags, u64 a0, struct raw_exit e, int want)
{
	u64 ans[8] = { a0, a0 + 1, a0 + 2, a0 + 3 };
	struct exit_record rec = { 0 };

	fake.next_exit = e;
	CHECK_EQ(vcpu_run(h, 0, flags, ans, &rec), want);
	return rec;
}

TEST(vcpu_lifecycle_checks)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	u64 ans[4] = { 0 };

	CHECK_EQ(vcpu_create(h, 0), -KCORE_EEXIST);
	CHECK_EQ(vcpu_create(h, KCORE_MAX_VCPUS), -KCORE_ENOENT);
	CHECK_EQ(vcpu_create(h + 1, 0), -KCORE_ENOENT);
	CHECK_EQ(vcpu_run(h, 1, 0, ans, &rec), -KCORE_ENOENT);
	CHECK_EQ(vcpu_run(h, ~0UL, 0, ans, &rec), -KCORE_ENOENT);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80000);
	CHECK_EQ(vcpu0(h)->gp.x[0], 0x1234);
	CHECK_EQ(vcpu0(h)->gp.pstate, 0x3c5);
	CHECK_EQ(vcpu0(h)->vmpidr, 0x80000000);
	CHECK_EQ(vcpu_mpidr(1), 0x80000001);
	CHECK_EQ(vcpu_mpidr(17), 0x80000101);
	CHECK_EQ(vcpu_mpidr(63), 0x8000030f);
	/* A running vCPU cannot be reset, run twice, or lose its VM. */
	vcpu0(h)->running = 1;
	CHECK_EQ(vcpu_run(h, 0, 0, ans, &rec), -KCORE_EBUSY);
	CHECK_EQ(vcpu_init(h, 0, 0, 0), -KCORE_EBUSY);
	CHECK_EQ(vm_destroy(h), -KCORE_EBUSY);
	vcpu0(h)->running = 0;
	CHECK_EQ(vm_destroy(h), 0);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vcpu_records_come_from_the_pool)
{
	u32 h, i;

	fixture_machine(32UL << 20, 1);
	CHECK_EQ(vm_create(pa(ram(0x100000)), 4, 40, &h), 0); /* record, root, 2 spare */
	CHECK_EQ(vcpu_create(h, 0), 0);
	CHECK_EQ(vcpu_create(h, 1), 0);
	CHECK_EQ(vcpu_create(h, 2), -KCORE_ENOMEM);
	for (i = 0; i < 4; i++)
		CHECK_EQ(frames_owner(&kc.frames, pa(ram(0x100000 + i * PAGE_SIZE))), owner_meta(h));
}

TEST(vcpu_hvc_exit_exposes_only_the_call)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	u32 i;

	for (i = 0; i < 31; i++)
		vcpu0(h)->gp.x[i] = 0x1000 + i;
	rec = run(h, 0, 0, EXIT_SYNC(0x16, 0), 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_HVC);
	CHECK_EQ(rec.data[0], 0x1000);
	CHECK_EQ(rec.data[3], 0x1003);
	CHECK_EQ(rec.data[4], 0); /* x4 and beyond stay in KCore */
	CHECK_EQ(rec.data[5], 0);
	run(h, KCORE_ANSWER_VALID, 0x77, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(vcpu0(h)->gp.x[0], 0x77);
	CHECK_EQ(vcpu0(h)->gp.x[3], 0x7a);
	CHECK_EQ(vcpu0(h)->gp.x[4], 0x1004); /* beyond the call's results: untouched */
}

TEST(vcpu_smc_and_wfi_move_the_pc)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;

	rec = run(h, 0, 0, EXIT_SYNC(0x17, 0), 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_HVC);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80004);
	rec = run(h, 0, 0, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_WFI);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80008);
}

TEST(vcpu_mmio_write_exposes_the_value)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	struct raw_exit e = EXIT_SYNC(0x24, ISV | WNR | SAS(1) | SRT(5) | 0x07);

	e.hpfar = (0x9000000UL >> 12) << 4;
	e.far = 0xffff000000000abcUL;
	vcpu0(h)->gp.x[5] = 0x1122334455667788UL;
	rec = run(h, 0, 0, e, 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_MMIO);
	CHECK_EQ(rec.data[0], 0x9000abc);
	CHECK_EQ(rec.data[1], 1 | KCORE_MMIO_WRITE);
	CHECK_EQ(rec.data[2], 0x7788); /* only the 2 bytes written */
	CHECK_EQ(rec.data[3], 0);
	run(h, KCORE_ANSWER_VALID, 0, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80008); /* past the store, then past the WFI */
}

TEST(vcpu_mmio_read_answer)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	struct raw_exit e = EXIT_SYNC(0x24, ISV | SAS(0) | SSE | SRT(3) | 0x07);

	vcpu0(h)->gp.x[3] = 0x5555;
	rec = run(h, 0, 0, e, 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_MMIO);
	CHECK_EQ(rec.data[1], 0);
	CHECK_EQ(rec.data[2], 0); /* a read exposes no register */
	/* 0x80 sign-extended to a 32-bit register: 0xffffff80. */
	run(h, KCORE_ANSWER_VALID, 0xabcd80, EXIT_SYNC(0x24, ISV | SAS(3) | SF | SRT(31) | 0x07), 0);
	CHECK_EQ(vcpu0(h)->gp.x[3], 0xffffff80);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80004);
	/* A 64-bit read into XZR: the value goes nowhere. */
	run(h, KCORE_ANSWER_VALID, 0x99, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x8000c);
}

TEST(vcpu_rejects_answers_to_nothing)
{
	u32 h = vm_with_vcpu();
	u32 runs;

	/* First run: nothing pending, an answer is a lie. */
	run(h, KCORE_ANSWER_VALID, 0x41, EXIT_SYNC(0x01, 0), -KCORE_EINVAL);
	CHECK_EQ(fake.runs, 0);
	CHECK_EQ(vcpu0(h)->gp.x[0], 0x1234);
	run(h, 0, 0, EXIT_SYNC(0x01, 0), 0); /* WFI: nothing to answer */
	runs = fake.runs;
	run(h, KCORE_ANSWER_VALID, 0x41, EXIT_SYNC(0x01, 0), -KCORE_EINVAL);
	run(h, 0x10, 0, EXIT_SYNC(0x01, 0), -KCORE_EINVAL); /* unknown flag */
	CHECK_EQ(fake.runs, runs);
	/* An old HVC answer cannot be replayed after its exit was answered. */
	run(h, 0, 0, EXIT_SYNC(0x16, 0), 0);
	run(h, KCORE_ANSWER_VALID, 0x10, EXIT_SYNC(0x01, 0), 0);
	run(h, KCORE_ANSWER_VALID, 0x10, EXIT_SYNC(0x01, 0), -KCORE_EINVAL);
}

TEST(vcpu_faults_and_interrupts)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	struct raw_exit e = EXIT_SYNC(0x24, WNR | 0x06); /* no ISV: not emulable */

	e.hpfar = (0x40123000UL >> 12) << 4;
	e.far = 0x456;
	rec = run(h, 0, 0, e, 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_MEM_FAULT);
	CHECK_EQ(rec.data[0], 0x40123000);
	CHECK_EQ(rec.data[1], KCORE_MMIO_WRITE);
	/* No answer: the access is retried once KServ has mapped the page. */
	rec = run(h, 0, 0, (struct raw_exit){ 1, 0, 0, 0 }, 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_IRQ);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80000);
	rec = run(h, 0, 0, EXIT_SYNC(0x09, 0x1234), 0); /* pointer authentication */
	CHECK_EQ(rec.reason, KCORE_EXIT_TRAP);
	CHECK_EQ(rec.data[0] >> 26, 0x09);
	run(h, KCORE_ANSWER_VALID, 0, EXIT_SYNC(0x01, 0), -KCORE_EINVAL); /* only UNDEF answers a trap */
}

static struct exit_record run_lrs(u32 h, u64 flags, const u64 *lrs, int want)
{
	u64 ans[8] = { 0 };
	struct exit_record rec = { 0 };

	memcpy(ans + 4, lrs, 4 * sizeof(u64));
	fake.next_exit = EXIT_SYNC(0x01, 0);
	CHECK_EQ(vcpu_run(h, 0, flags, ans, &rec), want);
	return rec;
}

TEST(vcpu_list_registers)
{
	u32 h = vm_with_vcpu();
	u64 pending42 = 1UL << 62 | 1UL << 60 | 0xa0UL << 48 | 42;
	u64 lrs[4] = { pending42, 0, 0, 0 };
	struct exit_record rec;
	u32 runs;

	rec = run_lrs(h, KCORE_ANSWER_LRS, lrs, 0);
	CHECK_EQ(vcpu0(h)->lr[0], pending42);
	CHECK_EQ(rec.lr[0], pending42); /* returned after the exit */
	runs = fake.runs;
	lrs[1] = pending42 | 1UL << 47; /* a reserved bit */
	run_lrs(h, KCORE_ANSWER_LRS, lrs, -KCORE_EINVAL);
	lrs[1] = 1UL << 62 | 1020; /* a special INTID, pending */
	run_lrs(h, KCORE_ANSWER_LRS, lrs, -KCORE_EINVAL);
	lrs[1] = 1UL << 62 | 8192; /* an LPI is fine */
	run_lrs(h, KCORE_ANSWER_LRS, lrs, 0);
	CHECK_EQ(fake.runs, runs + 1);
	/* A GIC with 2 list registers: the other two must stay empty. */
	vgic_nr_lrs = 2;
	lrs[2] = pending42;
	run_lrs(h, KCORE_ANSWER_LRS, lrs, -KCORE_EINVAL);
	/* A bad answer next to good list registers changes nothing. */
	lrs[2] = 0;
	lrs[0] = 0;
	run_lrs(h, KCORE_ANSWER_LRS | KCORE_ANSWER_VALID, lrs, -KCORE_EINVAL);
	CHECK_EQ(vcpu0(h)->lr[0], pending42);
	/* Without the flag KCore keeps its copy. */
	rec = run_lrs(h, 0, lrs, 0);
	CHECK_EQ(rec.lr[0], pending42);
}

TEST(vcpu_underflow_interrupt_on_request)
{
	u32 h = vm_with_vcpu();
	u64 lrs[4] = { 1UL << 62 | 0xa0UL << 48 | 42, 0, 0, 0 };

	/* KServ has more interrupts than list registers: exit when they drain. */
	run_lrs(h, KCORE_ANSWER_LRS | KCORE_ANSWER_UNDERFLOW, lrs, 0);
	CHECK(fake.ran_underflow);
	/* The request holds for one entry only. */
	run_lrs(h, KCORE_ANSWER_LRS, lrs, 0);
	CHECK(!fake.ran_underflow);
	/* A rejected answer does not change it. */
	run_lrs(h, KCORE_ANSWER_UNDERFLOW | KCORE_ANSWER_VALID, lrs, -KCORE_EINVAL);
	CHECK(!vcpu0(h)->underflow);
	run_lrs(h, KCORE_ANSWER_UNDERFLOW, lrs, 0);
	CHECK(fake.ran_underflow);
	CHECK_EQ(vcpu_init(h, 0, 0x80000, 0), 0);
	CHECK(!vcpu0(h)->underflow); /* a reset vCPU starts without it */
}

/* MRS x7, PMCR_EL0 (op0 3, op1 3, CRn 9, CRm 12, op2 0) and MSR PMCR_EL0, x7. */
#define PMCR_ISS ((3UL << 20) | (0UL << 17) | (3UL << 14) | (9UL << 10) | (12UL << 1))

TEST(vcpu_sysreg_exits)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;

	vcpu0(h)->gp.x[7] = 0x5a5a;
	rec = run(h, 0, 0, EXIT_SYNC(0x18, PMCR_ISS | (7 << 5) | 1), 0);
	CHECK_EQ(rec.reason, KCORE_EXIT_SYSREG);
	CHECK_EQ(rec.data[0], PMCR_ISS);
	CHECK_EQ(rec.data[1], 1);
	CHECK_EQ(rec.data[2], 0); /* a read exposes no register */
	rec = run(h, KCORE_ANSWER_VALID, 0x41, EXIT_SYNC(0x18, PMCR_ISS | (7 << 5)), 0);
	CHECK_EQ(vcpu0(h)->gp.x[7], 0x41);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x80004);
	CHECK_EQ(rec.data[1], 0);
	CHECK_EQ(rec.data[2], 0x41); /* a write exposes its value */
	run(h, KCORE_ANSWER_VALID, 0, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(vcpu0(h)->gp.pc, 0x8000c); /* past the MSR and the WFI */
}

TEST(vcpu_undef_answer)
{
	u32 h = vm_with_vcpu();
	struct vcpu *v = vcpu0(h);

	v->el1.vbar_el1 = 0x90000;
	run(h, 0, 0, EXIT_SYNC(0x18, PMCR_ISS | 1), 0);
	run(h, KCORE_ANSWER_VALID | KCORE_ANSWER_UNDEF, 0, EXIT_SYNC(0x01, 0), -KCORE_EINVAL);
	run(h, KCORE_ANSWER_UNDEF, 0, EXIT_SYNC(0x16, 0), 0);
	CHECK_EQ(v->el1.elr_el1, 0x80000); /* the MRS itself */
	CHECK_EQ(v->el1.esr_el1, 1UL << 25);
	CHECK_EQ(v->el1.spsr_el1, 0x3c5);
	CHECK_EQ(v->gp.pc, 0x90000 + 0x200); /* the EL1h vector */
	/* Answering an HVC with UNDEF points ELR at the HVC: the hardware
	 * reports an HVC with the PC already past it. */
	v->gp.pc = 0x90204;
	run(h, KCORE_ANSWER_UNDEF, 0, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(v->el1.elr_el1, 0x90200);
	run(h, KCORE_ANSWER_UNDEF, 0, EXIT_SYNC(0x01, 0), -KCORE_EINVAL); /* nothing pending */
}

TEST(vcpu_timer_state_and_offset)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;

	vcpu0(h)->el1.cntv_ctl_el0 = 5;
	vcpu0(h)->el1.cntv_cval_el0 = 0x123456;
	rec = run(h, 0, 0, EXIT_SYNC(0x01, 0), 0);
	CHECK_EQ(rec.timer_ctl, 5);
	CHECK_EQ(rec.timer_cval, 0x123456);
	CHECK_EQ(vm_set_timer(h, 0x1000), 0);
	CHECK_EQ(vm_lookup(h)->cntvoff, 0x1000);
	CHECK_EQ(vm_set_timer(h + 1, 0), -KCORE_ENOENT);
	vcpu0(h)->running = 1;
	CHECK_EQ(vm_set_timer(h, 0), -KCORE_EBUSY);
	vcpu0(h)->running = 0;
}

TEST(vcpu_initial_registers_only_before_it_runs)
{
	u32 h = vm_with_vcpu();
	struct vcpu *v = vcpu0(h);

	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_X(30), 0x30), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_SP_EL0, 0x5e0), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_PC, 0x90000), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_SCTLR_EL1, 0x30d01805), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_TTBR0_EL1, 0x41000), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_CSSELR_EL1, 2), 0);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_PSTATE, 0x3c4), 0); /* EL1t */
	CHECK_EQ(v->gp.x[30], 0x30);
	CHECK_EQ(v->el1.sp_el0, 0x5e0);
	CHECK_EQ(v->gp.pc, 0x90000);
	CHECK_EQ(v->el1.sctlr_el1, 0x30d01805);
	CHECK_EQ(v->el1.ttbr0_el1, 0x41000);
	CHECK_EQ(v->el1.csselr_el1, 2);
	CHECK_EQ(v->gp.pstate, 0x3c4);
	/* Not a register, not AArch64 EL0/EL1, reserved PSTATE bits, no such vCPU. */
	CHECK_EQ(vcpu_set_reg(h, 0, 34, 0), -KCORE_EINVAL);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_COUNT, 0), -KCORE_EINVAL);
	CHECK_EQ(vcpu_set_reg(h, 0, ~0UL, 0), -KCORE_EINVAL);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_PSTATE, 0x3c9), -KCORE_EINVAL); /* EL2h */
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_PSTATE, 0x3d5), -KCORE_EINVAL); /* AArch32 */
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_PSTATE, 0x3c5 | (1UL << 21)), -KCORE_EINVAL);
	CHECK_EQ(v->gp.pstate, 0x3c4);
	CHECK_EQ(vcpu_set_reg(h, 1, KCORE_REG_PC, 0), -KCORE_ENOENT);
	CHECK_EQ(vcpu_set_reg(h + 1, 0, KCORE_REG_PC, 0), -KCORE_ENOENT);
	/* Once it ran, its registers are the guest's, until the next reset. */
	run(h, 0, 0, EXIT_SYNC(0x01, 0), 0); /* WFI */
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_X(1), 1), -KCORE_EACCES);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_VBAR_EL1, 0x800), -KCORE_EACCES);
	CHECK_EQ(v->gp.x[1], 0);
	CHECK_EQ(v->el1.vbar_el1, 0);
	CHECK_EQ(vcpu_init(h, 0, 0x80000, 0), 0);
	CHECK_EQ(v->el1.sctlr_el1, 0x30d00800);
	CHECK_EQ(vcpu_set_reg(h, 0, KCORE_REG_VBAR_EL1, 0x800), 0);
	CHECK_EQ(v->el1.vbar_el1, 0x800);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vcpu_switch_on_a_cpu_flushes_local_tlb)
{
	u32 h = vm_with_vcpu();
	struct exit_record rec;
	u64 ans[4] = { 0 };

	CHECK_EQ(vcpu_create(h, 1), 0);
	CHECK_EQ(vcpu_init(h, 1, 0x80000, 0), 0);
	fake.next_exit = EXIT_SYNC(0x01, 0);	   /* WFI */
	CHECK_EQ(vcpu_run(h, 0, 0, ans, &rec), 0); /* first on CPU 0 */
	CHECK_EQ(fake.local_flushes, 1);
	CHECK_EQ(vcpu_run(h, 0, 0, ans, &rec), 0); /* again: nothing to drop */
	CHECK_EQ(fake.local_flushes, 1);
	CHECK_EQ(vcpu_run(h, 1, 0, ans, &rec), 0); /* another vCPU of the VM here */
	CHECK_EQ(fake.local_flushes, 2);
	fake.cpu = 3;
	CHECK_EQ(vcpu_run(h, 0, 0, ans, &rec), 0); /* vCPU 0 moves to CPU 3 */
	CHECK_EQ(fake.local_flushes, 3);
	fake.cpu = 0;
	CHECK_EQ(vcpu_run(h, 1, 0, ans, &rec), 0); /* CPU 0 last ran vCPU 1 */
	CHECK_EQ(fake.local_flushes, 3);
	CHECK_EQ(vcpu_run(h, 0, 0, ans, &rec), 0);
	CHECK_EQ(fake.local_flushes, 4);
	CHECK_EQ(check_invariants(), 0);
}
