// SPDX-License-Identifier: GPL-2.0
/* The arm64 implementation of kcore/arch.h. */
#include "arm64.h"
#include "sysreg.h"
#include "../../kcore/arch.h"

u64 kcore_image_pa; /* where KCore's image is (the carve-out, after relocation) */
u64 kcore_uart_va;  /* PL011 base, 0 until known */
u32 kcore_boot_el = 2;

extern char _head[], __kcore_end[];

void *arch_pa_to_va(paddr_t p)
{
	u64 len = (u64)(uintptr_t)__kcore_end - (u64)(uintptr_t)_head;

	if (p.v >= kcore_image_pa && p.v - kcore_image_pa < len)
		return _head + (p.v - kcore_image_pa);
	return (void *)(uintptr_t)p.v; /* RAM and devices are identity mapped */
}

u64 arm64_va_to_pa(const void *v)
{
	u64 a = (u64)(uintptr_t)v, base = (u64)(uintptr_t)_head;

	if (a >= base && a < (u64)(uintptr_t)__kcore_end)
		return kcore_image_pa + (a - base);
	return a;
}

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1U << 5)

void arch_console_putc(char c)
{
	volatile u32 *base = (volatile u32 *)(uintptr_t)kcore_uart_va;

	if (!base)
		return;
	while (base[PL011_FR / 4] & PL011_FR_TXFF)
		;
	base[PL011_DR / 4] = (u8)c;
}

void arch_lock_wait(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

void arch_lock_wake(void)
{
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

void arch_pte_write(u64 *ptep, u64 v)
{
	__atomic_store_n(ptep, v, __ATOMIC_RELAXED);
}

void arch_pte_publish(void)
{
	/* Make the store visible to the table walkers of every CPU. */
	dsb(ishst);
	isb();
}

void arch_tlbi_s2_ipa(u16 vmid, u64 ipa, u32 level)
{
	u64 vttbr = read_sysreg(vttbr_el2);

	(void)level;
	/* TLBI by IPA acts on the current VMID: switch to @vmid if needed. */
	if ((vttbr >> 48) != vmid) {
		write_sysreg(vttbr_el2, (u64)vmid << 48);
		isb();
	}
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipa >> 12));
	/* Stage-1+2 combined entries are not tagged by IPA: drop the VMID's. */
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is");
	dsb(ish);
	isb();
	if ((vttbr >> 48) != vmid) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
}

void arch_tlbi_s2_vmid(u16 vmid)
{
	u64 vttbr = read_sysreg(vttbr_el2);

	if ((vttbr >> 48) != vmid) {
		write_sysreg(vttbr_el2, (u64)vmid << 48);
		isb();
	}
	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is");
	dsb(ish);
	isb();
	if ((vttbr >> 48) != vmid) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
}

void arch_tlbi_el2_va(u64 va, u32 level)
{
	(void)level;
	dsb(ishst);
	if (kcore_boot_el == 2)
		__asm__ volatile("tlbi vae2is, %0" ::"r"(va >> 12));
	else
		__asm__ volatile("tlbi vaae1is, %0" ::"r"(va >> 12));
	dsb(ish);
	isb();
}

void arch_tlbi_el2_all(void)
{
	dsb(ishst);
	if (kcore_boot_el == 2)
		__asm__ volatile("tlbi alle2is");
	else
		__asm__ volatile("tlbi vmalle1is");
	dsb(ish);
	isb();
}

static u64 dcache_line(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void arch_dcache_clean_inval_poc(const void *v, u64 size)
{
	u64 line = dcache_line();
	u64 a = ALIGN_DOWN((u64)(uintptr_t)v, line), end = (u64)(uintptr_t)v + size;

	for (; a < end; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	dsb(sy);
}

#define CTR_DIC (1UL << 29) /* instruction fetches need no instruction cache invalidation */

void arch_icache_inval_all(void)
{
	dsb(ish);
	if (!(read_sysreg(ctr_el0) & CTR_DIC)) {
		__asm__ volatile("ic ialluis" ::: "memory"); /* PIPT or not: drop them all */
		dsb(ish);
	}
	isb();
}

void arch_firmware_smc(u64 r[4])
{
	arm64_firmware_smc(r);
}

u64 arch_warm_entry_pa(void)
{
	return arm64_va_to_pa(kcore_warm_entry);
}

u32 arch_cpu_index(void)
{
	return ((struct percpu *)(uintptr_t)read_sysreg(tpidr_el2))->index;
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

/* The compiler may emit calls to these for struct copies and clears. */
void *memset(void *dst, int c, size_t n)
{
	return kc_memset(dst, c, n);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return kc_memcpy(dst, src, n);
}
