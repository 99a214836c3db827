/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KCore hypercall ABI, shared by KCore and the KServ patches.
 *
 * KServ calls KCore with `hvc #0` following the SMC Calling Convention
 * (SMCCC 1.1): the function ID in w0, arguments in x1..x7, results in x0..x3.
 * KCore's own calls live in the vendor-specific hypervisor service range,
 * fast calls, SMC64 convention: 0xC6000000 | n. Every call is documented in
 * docs/abi.md. This header holds plain constants only so that both the
 * freestanding KCore build and the Linux kernel can include it.
 */
#ifndef KCORE_ABI_H
#define KCORE_ABI_H

/* SMCCC function ID fields. */
#define KCORE_SMCCC_FAST (1U << 31)
#define KCORE_SMCCC_64 (1U << 30)
#define KCORE_SMCCC_OWNER_SHIFT 24
#define KCORE_SMCCC_OWNER_MASK 0x3fU
#define KCORE_SMCCC_OWNER_ARCH 0U
#define KCORE_SMCCC_OWNER_STD 4U
#define KCORE_SMCCC_OWNER_VENDOR_HYP 6U

/* SMCCC architecture calls KCore answers. */
#define KCORE_SMCCC_VERSION 0x80000000U
#define KCORE_SMCCC_ARCH_FEATURES 0x80000001U
#define KCORE_SMCCC_VERSION_1_1 0x10001U

/* Vendor-specific hypervisor service queries (SMCCC 1.1 section 6). */
#define KCORE_VENDOR_HYP_CALL_UID 0x8600ff01U
#define KCORE_VENDOR_HYP_REVISION 0x8600ff03U

/*
 * KCore's UID, returned by KCORE_VENDOR_HYP_CALL_UID in w0..w3 (the SMCCC
 * UUID encoding). UUID 5f1d6c0e-8a3b-4c7e-9d21-6b2e4f0a7c35; it is not KVM's,
 * so a kernel never mistakes KCore for a KVM host.
 */
#define KCORE_UID_W0 0x0e6c1d5fU
#define KCORE_UID_W1 0x7e4c3b8aU
#define KCORE_UID_W2 0x2e6b219dU
#define KCORE_UID_W3 0x357c0a4fU

#define KCORE_VERSION_MAJOR 0
#define KCORE_VERSION_MINOR 1

/* KCore's own calls: 0xC6000000 | number. */
#define KCORE_FN(n)                                                                                                    \
	(KCORE_SMCCC_FAST | KCORE_SMCCC_64 | (KCORE_SMCCC_OWNER_VENDOR_HYP << KCORE_SMCCC_OWNER_SHIFT) | (n))
#define KCORE_FN_NUM_MASK 0xffffU

/*
 * KCORE_HC_VERSION: no arguments.
 * x0 = 0, x1 = (major << 16) | minor, x2 = number of KCore calls (highest + 1).
 */
#define KCORE_HC_VERSION KCORE_FN(0)
/*
 * KCORE_HC_MEM_INFO: no arguments.
 * x0 = 0, x1 = carve-out base PA, x2 = carve-out size in bytes,
 * x3 = free pages in KCore's page pool.
 */
#define KCORE_HC_MEM_INFO KCORE_FN(1)
/*
 * KCORE_HC_FRAMES_OWNED: x1 = owner class (KCORE_CLASS_*).
 * x0 = 0, x1 = number of 4 KiB frames of RAM in that class.
 */
#define KCORE_HC_FRAMES_OWNED KCORE_FN(2)
#define KCORE_CLASS_KSERV 0
#define KCORE_CLASS_KCORE 1 /* KCore's carve-out and pages donated to it */
#define KCORE_CLASS_GUEST 2 /* pages mapped into VMs */
/*
 * KCORE_HC_HOST_DONATE: x1 = PA, x2 = number of pages. KServ gives KCore
 * pages for its own page tables (KServ's stage-2 splits). They stay KCore's.
 */
#define KCORE_HC_HOST_DONATE KCORE_FN(3)
/*
 * KCORE_HC_VM_CREATE: x1 = PA of >= 2 contiguous KServ pages donated for the
 * VM's metadata, x2 = their number, x3 = the VM's IPA size in bits (32..48).
 * x0 = 0, x1 = the VM's handle.
 */
#define KCORE_HC_VM_CREATE KCORE_FN(4)
/* KCORE_HC_VM_DONATE: x1 = handle, x2 = PA, x3 = pages: more metadata pages. */
#define KCORE_HC_VM_DONATE KCORE_FN(5)
/* KCORE_HC_VM_DESTROY: x1 = handle. Every page of the VM goes back zeroed. */
#define KCORE_HC_VM_DESTROY KCORE_FN(6)
/* KCORE_HC_VM_MAP: x1 = handle, x2 = PA of a KServ page, x3 = IPA. */
#define KCORE_HC_VM_MAP KCORE_FN(7)
/* KCORE_HC_VM_UNMAP: x1 = handle, x2 = IPA. x0 = 0, x1 = PA, now KServ's and zero. */
#define KCORE_HC_VM_UNMAP KCORE_FN(8)
/*
 * KCORE_HC_VCPU_CREATE: x1 = handle, x2 = vCPU index (< KCORE_MAX_VCPUS).
 * The vCPU's record comes from the VM's pool (KCORE_HC_VM_DONATE).
 */
#define KCORE_HC_VCPU_CREATE KCORE_FN(9)
/*
 * KCORE_HC_VCPU_INIT: x1 = handle, x2 = index, x3 = entry IPA, x4 = x0.
 * Resets the vCPU: EL1h, interrupts masked, MMU off, every other register 0.
 */
#define KCORE_HC_VCPU_INIT KCORE_FN(10)
/*
 * KCORE_HC_VCPU_RUN: x1 = handle, x2 = index, x3 = answer flags, x4..x7 =
 * answer values for the previous exit. Runs the vCPU until it exits; returns
 * x0 = 0 or -errno, x1 = KCORE_EXIT_*, x2.. = what that exit exposes (see
 * docs/abi.md), x8..x11 = the list registers, x12/x13 = the guest's
 * CNTV_CTL_EL0/CNTV_CVAL_EL0. Uses SMCCC 1.2 registers.
 */
#define KCORE_HC_VCPU_RUN KCORE_FN(11)
/* KCORE_HC_GIC_INFO: x0 = 0, x1 = ICH_VTR_EL2 (list registers, priority bits). */
#define KCORE_HC_GIC_INFO KCORE_FN(12)
/* KCORE_HC_VM_SET_TIMER: x1 = handle, x2 = CNTVOFF_EL2 for the VM's vCPUs. */
#define KCORE_HC_VM_SET_TIMER KCORE_FN(13)
/*
 * KCORE_HC_VCPU_SET_REG: x1 = handle, x2 = index, x3 = KCORE_REG_*, x4 =
 * value. Sets a register of a vCPU that has not run since it was created or
 * last reset (VCPU_INIT): the VMM's initial state. -EACCES once it ran.
 */
#define KCORE_HC_VCPU_SET_REG KCORE_FN(14)
#define KCORE_HC_COUNT 15

/* Registers for KCORE_HC_VCPU_SET_REG. */
#define KCORE_REG_X(n) (n) /* x0..x30 */
#define KCORE_REG_SP_EL0 31
#define KCORE_REG_PC 32
#define KCORE_REG_PSTATE 33 /* AArch64 EL0t, EL1t or EL1h; NZCV and DAIF free */
#define KCORE_REG_SCTLR_EL1 64
#define KCORE_REG_CPACR_EL1 65
#define KCORE_REG_TTBR0_EL1 66
#define KCORE_REG_TTBR1_EL1 67
#define KCORE_REG_TCR_EL1 68
#define KCORE_REG_ESR_EL1 69
#define KCORE_REG_AFSR0_EL1 70
#define KCORE_REG_AFSR1_EL1 71
#define KCORE_REG_FAR_EL1 72
#define KCORE_REG_MAIR_EL1 73
#define KCORE_REG_VBAR_EL1 74
#define KCORE_REG_CONTEXTIDR_EL1 75
#define KCORE_REG_AMAIR_EL1 76
#define KCORE_REG_CNTKCTL_EL1 77
#define KCORE_REG_PAR_EL1 78
#define KCORE_REG_TPIDR_EL1 79
#define KCORE_REG_SP_EL1 80
#define KCORE_REG_ELR_EL1 81
#define KCORE_REG_SPSR_EL1 82
#define KCORE_REG_TPIDR_EL0 83
#define KCORE_REG_TPIDRRO_EL0 84
#define KCORE_REG_CSSELR_EL1 85
#define KCORE_REG_COUNT 86

#define KCORE_MAX_VCPUS 64

/* Exit reasons, in x1 of KCORE_HC_VCPU_RUN. */
#define KCORE_EXIT_HVC 1       /* x2..x5 = the guest's x0..x3 */
#define KCORE_EXIT_MMIO 2      /* x2 = IPA, x3 = KCORE_MMIO_*, x4 = value written */
#define KCORE_EXIT_MEM_FAULT 3 /* x2 = IPA of a page the VM has not got, x3 = KCORE_MMIO_WRITE if a write */
#define KCORE_EXIT_IRQ 4       /* a physical interrupt for KServ */
#define KCORE_EXIT_WFI 5       /* the guest waits for an interrupt */
#define KCORE_EXIT_TRAP 6      /* x2 = ESR_EL2 of a trap KCore does not handle yet */
#define KCORE_EXIT_SYSREG 7    /* x2 = KCORE_SYSREG_* encoding, x3 = 1 if a read, x4 = value written */
/* A trapped system register: op0 [21:20], op2 [19:17], op1 [16:14],
 * CRn [13:10], CRm [4:1] (the ESR_EL2 ISS layout with Rt and direction cleared). */
#define KCORE_SYSREG_MASK 0x3ffc1eU
#define KCORE_MMIO_SIZE_MASK 3U /* log2 of the access size in bytes */
#define KCORE_MMIO_WRITE (1U << 4)
/* Answer flags, in x3 of KCORE_HC_VCPU_RUN. */
#define KCORE_ANSWER_VALID (1U << 0) /* x4..x7 answer the previous exit */
#define KCORE_ANSWER_LRS (1U << 1)   /* x8..x11: the vGIC list registers to load */
#define KCORE_ANSWER_UNDEF (1U << 2) /* the guest takes an undefined-instruction exception instead */
/* Exit (a maintenance interrupt) once the list registers are at most one
 * entry full: KServ has more interrupts pending than list registers. */
#define KCORE_ANSWER_UNDERFLOW (1U << 3)
/* GICv3 list registers carried by KCORE_HC_VCPU_RUN (x8..x11, both ways). */
#define KCORE_VGIC_LRS 4

/*
 * Return values. SMCCC calls answer with SMCCC status codes; KCore's own calls
 * answer 0 on success or a negative errno. -1 (EPERM) is never used by KCore
 * calls, so that it only ever means SMCCC NOT_SUPPORTED.
 */
#define KCORE_SMCCC_SUCCESS 0
#define KCORE_SMCCC_NOT_SUPPORTED (-1)
#define KCORE_SMCCC_NOT_REQUIRED (-2)
#define KCORE_SMCCC_INVALID_PARAMETER (-3)

#define KCORE_ENOENT 2
#define KCORE_ENOMEM 12
#define KCORE_EACCES 13
#define KCORE_EFAULT 14
#define KCORE_EBUSY 16
#define KCORE_EEXIST 17
#define KCORE_EINVAL 22
#define KCORE_ENOSPC 28
#define KCORE_ERANGE 34

#endif /* KCORE_ABI_H */
