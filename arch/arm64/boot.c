// SPDX-License-Identifier: GPL-2.0
/*
 * KCore's boot on arm64: entered from head.S with the MMU on (boot tables),
 * running at KCORE_VA_BASE. Reads the DTB, refuses what it cannot support,
 * places the carve-out, builds its final EL2 tables, moves into the
 * carve-out, builds KServ's stage-2, and enters KServ at EL1.
 */
#include "arm64.h"
#include "sysreg.h"
#include "../../kcore/log.h"
#include "vgic_switch.h"

#ifndef KCORE_FALLBACK_UART
#define KCORE_FALLBACK_UART 0x09000000UL /* QEMU virt's PL011 */
#endif
#define EARLY_POOL_PAGES 16
#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define PSCI_SYSTEM_OFF 0x84000008UL

extern char _head[], __text_end[], __rodata_end[], __kcore_end[], __kserv_start[];
extern char __idmap_text_start[];
extern u64 boot_l0[];

struct el2_mmu_cfg el2_mmu_cfg;

static u8 early_pages[EARLY_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct page_pool early_pool;
static struct pgtable boot_pt;
static const struct pt_prot boot_rwx = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };
static const struct pt_prot dev_rw = { PT_MEM_DEVICE, PT_R | PT_W };

static u64 kcore_len(void)
{
	return (u64)(__kcore_end - _head);
}

static void power_off(void)
{
	u64 r[4] = { PSCI_SYSTEM_OFF, 0, 0, 0 };

	if (kcore_boot_el == 2)
		arm64_firmware_smc(r);
	else /* at EL1 without EL2 the firmware answers HVC (QEMU) */
		__asm__ volatile("mov x0, %0\n\thvc #0" ::"r"(r[0]) : "x0", "x1", "x2", "x3");
	arch_halt();
}

static void __attribute__((noreturn)) refuse(const char *why)
{
	kc_log("refusing to boot: %s", why);
	kc_log("powering off");
	power_off();
	arch_halt();
}

/* Identity-map [base, base + size) in the boot tables. */
static int early_map(u64 base, u64 size, struct pt_prot prot)
{
	u64 b = ALIGN_DOWN(base, PAGE_SIZE);

	return pt_map(&boot_pt, b, pa(b), ALIGN_UP(base + size, PAGE_SIZE) - b, prot);
}

static void early_console(u64 uart)
{
	if (uart && early_map(uart, PAGE_SIZE, dev_rw) == 0)
		kcore_uart_va = uart;
}

static void boot_tables_init(void)
{
	pool_init(&early_pool);
	pool_add(&early_pool, pa(arm64_va_to_pa(early_pages)), EARLY_POOL_PAGES);
	boot_pt.root = pa(arm64_va_to_pa(boot_l0));
	boot_pt.stage = PT_EL2_S1;
	boot_pt.start_level = 0;
	boot_pt.ia_bits = 48;
	boot_pt.pool = &early_pool;
}

static bool try_open_dtb(struct fdt *f, u64 dtb)
{
	const u8 *blob = (const u8 *)(uintptr_t)dtb;
	u32 size;

	if (!dtb || !IS_ALIGNED(dtb, 8) || early_map(dtb, FDT_HEADER_SIZE, boot_rwx) || fdt_be32(blob) != FDT_MAGIC)
		return false;
	size = fdt_be32(blob + 4);
	if (size < FDT_HEADER_SIZE || size > FDT_MAX_SIZE || early_map(dtb, size, boot_rwx))
		return false;
	return fdt_open(f, blob, size) == 0;
}

/* What KServ's Image needs: its header, and where it ends (with its bss). */
static u64 kserv_image_pa(u64 load_pa)
{
	return load_pa + (u64)(__kserv_start - _head);
}

static u64 kserv_image_size(u64 kserv_pa)
{
	const u8 *h = (const u8 *)(uintptr_t)kserv_pa;

	if (early_map(kserv_pa, 64, boot_rwx) || *(const u32 *)(h + 56) != IMAGE_MAGIC)
		return 0;
	return *(const u64 *)(h + 16);
}

static void check_platform(const struct platform *p, u64 kserv_size)
{
	if (!p->gicv3 || id_field(read_sysreg(id_aa64pfr0_el1), 24) == 0)
		refuse("no GICv3 with a system register interface");
	if (!p->psci_smc)
		refuse("PSCI with the \"smc\" conduit is required (QEMU: -M virt,virtualization=on)");
	if (platform_cpu_index(p, read_sysreg(mpidr_el1)) < 0)
		refuse("the boot CPU is not in /cpus");
	if (!kserv_size)
		refuse("no KServ kernel Image embedded after KCore");
	if (p->mem[p->nmem - 1].base + p->mem[p->nmem - 1].size > KCORE_VA_BASE)
		refuse("RAM overlaps KCore's virtual window");
}

/* Choose the carve-out: RAM not used by the DTB, the initrd, reservations,
 * or this image with KServ's (which runs where it was loaded). */
static u64 place_carveout(const struct platform *p, u64 dtb, u32 dtb_size, u64 load_pa, u64 kserv_end, u64 size)
{
	struct range avoid[PLAT_MAX_RESERVED + 2];
	u32 i, n = 0;

	for (i = 0; i < p->nreserved; i++)
		avoid[n++] = p->reserved[i];
	avoid[n++] = (struct range){ dtb, dtb_size };
	avoid[n++] = (struct range){ load_pa, kserv_end - load_pa };
	return carveout_place(p->mem, p->nmem, avoid, n, size, CARVEOUT_ALIGN);
}

static void map_final(struct pgtable *pt, u64 va, u64 p, u64 size, struct pt_prot prot)
{
	if (pt_map(pt, va, pa(p), size, prot))
		refuse("out of memory for KCore's page tables");
}

/* KCore's own EL2 tables: RAM identity mapped (never executable), the
 * console, the image at KCORE_VA_BASE with W^X, and the identity-mapped
 * text that switches tables and starts CPUs. */
static void build_el2_tables(struct pgtable *pt, u64 image_pa)
{
	const struct pt_prot ram = { PT_MEM_NORMAL, PT_R | PT_W };
	u64 text = (u64)(__text_end - _head), ro = (u64)(__rodata_end - __text_end);
	u64 idmap = image_pa + (u64)(__idmap_text_start - _head);
	u32 i;

	if (pt_init(pt, PT_EL2_S1, 48, 0, &kc.pool))
		refuse("out of memory for KCore's page tables");
	for (i = 0; i < kc.plat.nmem; i++)
		map_final(pt, kc.plat.mem[i].base, kc.plat.mem[i].base, kc.plat.mem[i].size, ram);
	map_final(pt, idmap, idmap, PAGE_SIZE, (struct pt_prot){ PT_MEM_NORMAL, PT_R | PT_X });
	if (kcore_uart_va)
		map_final(pt, kcore_uart_va, kcore_uart_va, PAGE_SIZE, dev_rw);
	map_final(pt, KCORE_VA_BASE, image_pa, text, (struct pt_prot){ PT_MEM_NORMAL, PT_R | PT_X });
	map_final(pt, KCORE_VA_BASE + text, image_pa + text, ro, (struct pt_prot){ PT_MEM_NORMAL, PT_R });
	map_final(pt, KCORE_VA_BASE + text + ro, image_pa + text + ro, kcore_len() - text - ro, ram);
}

static void move_to_carveout(u64 carve)
{
	struct pgtable el2;
	u64 ps = read_sysreg(tcr_el2) & (7UL << TCR_EL2_PS_SHIFT);

	build_el2_tables(&el2, carve);
	el2_mmu_cfg.mair = MAIR_EL2_VALUE;
	el2_mmu_cfg.tcr = TCR_T0SZ_48 | TCR_WALK_ATTRS | TCR_EL2_RES1 | ps;
	el2_mmu_cfg.ttbr = el2.root.v;
	el2_mmu_cfg.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN;
	kcore_relocate(carve, kcore_len(), el2_mmu_cfg.ttbr, el2_mmu_cfg.sctlr);
	kcore_image_pa = carve;
}

/* The DTB for KServ: the loader's, plus the carve-out as no-map reserved
 * memory, written over KCore's old copy at the load address. */
static u64 kserv_dtb(const struct fdt *f, u64 load_pa)
{
	u32 size;
	u8 *dst = (u8 *)(uintptr_t)load_pa;
	int err = fdt_add_reserved(f, dst, (u64)(__kserv_start - _head), kc.carve_base, kc.carve_size, &size);

	if (err)
		refuse("cannot add KCore's reserved-memory node to the device tree");
	arch_dcache_clean_inval_poc(dst, size); /* KServ reads it with its MMU off */
	return load_pa;
}

void kcore_boot(u64 dtb, u64 load_pa, u64 el)
{
	struct carveout_plan plan;
	struct fdt f;
	const char *why = "";
	u64 kserv_pa = kserv_image_pa(load_pa), kserv_size, carve;
	struct percpu *boot_cpu;

	kcore_image_pa = load_pa;
	kcore_boot_el = (u32)el;
	boot_tables_init();
	if (!try_open_dtb(&f, dtb)) {
		early_console(KCORE_FALLBACK_UART);
		refuse("the device tree passed in x0 is missing or malformed");
	}
	early_console(platform_find_uart(&f));
	kc_log("KCore %u.%u starting at EL%lu, loaded at 0x%lx, DTB at 0x%lx", KCORE_VERSION_MAJOR, KCORE_VERSION_MINOR,
	       el, load_pa, dtb);
	if (el != 2)
		refuse("entered below EL2; KCore must own EL2 (QEMU: -M virt,virtualization=on)");
	if (platform_parse(&f, &kc.plat, &why))
		refuse(why);
	kserv_size = kserv_image_size(kserv_pa);
	check_platform(&kc.plat, kserv_size);
	kc.pa_bits = arm64_pa_bits();
	carveout_plan(&plan, kcore_len(), frames_count(kc.plat.mem, kc.plat.nmem), kc.plat.ncpus,
		      sizeof(struct percpu));
	carve = place_carveout(&kc.plat, dtb, f.size, load_pa, kserv_pa + kserv_size, plan.total);
	if (!carve || early_map(carve, plan.total, boot_rwx))
		refuse("no room in RAM for KCore's carve-out");
	kcore_carveout_pool(carve, &plan);
	move_to_carveout(carve);
	if (kcore_carveout_records(&plan) || host_s2_init(kc.pa_bits))
		refuse("cannot set up the ownership records or KServ's stage-2");
	boot_cpu = &kc.cpus[platform_cpu_index(&kc.plat, read_sysreg(mpidr_el1))];
	boot_cpu->state = CPU_ON;
	kc_log("carve-out [0x%lx, 0x%lx): image, %lu KiB of records, %lu pool pages free", kc.carve_base,
	       kc.carve_base + kc.carve_size, (plan.frames_size + plan.percpu_size) >> 10, pool_nfree(&kc.pool));
	kc_log("host stage-2 root at 0x%lx, %u-bit IPA; %u CPUs; KServ at 0x%lx", kc.host.pt.root.v, kc.host.pt.ia_bits,
	       kc.plat.ncpus, kserv_pa);
	dtb = kserv_dtb(&f, load_pa);
	arm64_cpu_init_el2(boot_cpu);
	vgic_switch_init(); /* ICH_* registers need ICC_SRE_EL2.SRE, set just now */
	kc_log("entering KServ at EL1");
	arm64_enter_kserv(kserv_pa, dtb, boot_cpu->stack_top);
}

void kcore_warm_main(struct percpu *pc)
{
	__atomic_store_n(&pc->state, CPU_ON, __ATOMIC_RELEASE);
	arm64_cpu_init_el2(pc);
	arm64_enter_kserv(pc->kserv_entry, pc->kserv_ctx, pc->stack_top);
}
