/* SPDX-License-Identifier: GPL-2.0 */
/* System register access and the architectural constants KCore uses. */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H

/* Registers named by encoding, for assemblers that may not know them. */
#define HCRX_EL2 s3_4_c1_c2_2
#define HFGRTR_EL2 s3_4_c1_c1_4
#define HFGWTR_EL2 s3_4_c1_c1_5
#define HFGITR_EL2 s3_4_c1_c1_6
#define HDFGRTR_EL2 s3_4_c3_c1_4
#define HDFGWTR_EL2 s3_4_c3_c1_5
#define HAFGRTR_EL2 s3_4_c3_c1_6
#define ZCR_EL2 s3_4_c1_c2_0
#define SMCR_EL2 s3_4_c1_c2_6
#define SMPRIMAP_EL2 s3_4_c1_c2_5
#define ICC_SRE_EL2 s3_4_c12_c9_5
#define ICH_HCR_EL2 s3_4_c12_c11_0
#define ICH_VMCR_EL2 s3_4_c12_c11_7
#define ICH_VTR_EL2 s3_4_c12_c11_1
#define ICH_LR0_EL2 s3_4_c12_c12_0
#define ICH_LR1_EL2 s3_4_c12_c12_1
#define ICH_LR2_EL2 s3_4_c12_c12_2
#define ICH_LR3_EL2 s3_4_c12_c12_3
#define ICH_AP0R0_EL2 s3_4_c12_c8_0
#define ICH_AP0R1_EL2 s3_4_c12_c8_1
#define ICH_AP0R2_EL2 s3_4_c12_c8_2
#define ICH_AP0R3_EL2 s3_4_c12_c8_3
#define ICH_AP1R0_EL2 s3_4_c12_c9_0
#define ICH_AP1R1_EL2 s3_4_c12_c9_1
#define ICH_AP1R2_EL2 s3_4_c12_c9_2
#define ICH_AP1R3_EL2 s3_4_c12_c9_3
#define PMSCR_EL2 s3_4_c9_c9_0
#define TRFCR_EL2 s3_4_c1_c2_1
#define ID_AA64MMFR3_EL1 s3_0_c0_c7_3
#define ID_AA64SMFR0_EL1 s3_0_c0_c4_5

/* The virtual address at which KCore's image is linked (top 512 GiB of a
 * 48-bit space, L0 index 511); physical memory there is never identity
 * mapped. */
#define KCORE_VA_BASE 0xff8000000000

/* SCTLR_EL2 (non-VHE). */
#define SCTLR_EL2_RES1 0x30c50830
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_SA (1 << 3)
#define SCTLR_I (1 << 12)
#define SCTLR_WXN (1 << 19)
#define SCTLR_EL1_RES1 0x30d00800

/* TCR_ELx: 48-bit VA, 4 KiB granule, write-back inner shareable walks. */
#define TCR_T0SZ_48 16
#define TCR_WALK_ATTRS ((1 << 8) | (1 << 10) | (3 << 12))
#define TCR_EL2_RES1 0x80800000
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL1_EPD1 (1 << 23)
#define TCR_EL1_IPS_SHIFT 32

/* HCR_EL2. */
#define HCR_VM (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_TSC (1UL << 19)
#define HCR_RW (1UL << 31)
#define HCR_API (1UL << 41)
#define HCR_APK (1UL << 40)
#define HCR_ATA (1UL << 56)

/* ESR_ELx exception classes. */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_IL (1UL << 25)
#define ESR_FSC_MASK 0x3f
#define ESR_FSC_SEA 0x10
#define ESR_FSC_TLB_CONFLICT 0x30
#define ESR_WNR (1UL << 6)

/* PSTATE / SPSR. */
#define PSR_MODE_EL1h 0x5
#define PSR_MODE_MASK 0xf
#define PSR_D (1 << 9)
#define PSR_A (1 << 8)
#define PSR_I (1 << 7)
#define PSR_F (1 << 6)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_PAN (1UL << 22)
#define PSR_SSBS (1UL << 12)
#define PSR_nRW (1 << 4) /* AArch32 */

#ifndef __ASSEMBLER__
#include <stdint.h>

#define __str(x) #x
#define __xstr(x) __str(x)
#define read_sysreg(r)                                                                                                 \
	({                                                                                                             \
		uint64_t __v;                                                                                          \
		__asm__ volatile("mrs %0, " __xstr(r) : "=r"(__v));                                                    \
		__v;                                                                                                   \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " __xstr(r) ", %0" ::"r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

static inline unsigned id_field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

/* Pointer authentication: APA, API, GPA, GPI (ISAR1) or APA3, GPA3 (ISAR2). */
static inline int cpu_has_pauth(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1), isar2 = read_sysreg(s3_0_c0_c6_2);

	return id_field(isar1, 4) || id_field(isar1, 8) || id_field(isar1, 24) || id_field(isar1, 28) ||
	       id_field(isar2, 12) || id_field(isar2, 8);
}
#endif

#endif /* ARM64_SYSREG_H */
