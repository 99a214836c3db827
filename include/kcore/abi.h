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
#define KCORE_HC_COUNT 2

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
