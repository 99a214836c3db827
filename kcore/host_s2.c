// SPDX-License-Identifier: GPL-2.0
/*
 * KServ's stage-2: an identity map of what KServ owns. RAM is mapped at boot
 * with the largest blocks that fit; device MMIO (anything that is not RAM) is
 * mapped on KServ's first access, as Device-nGnRE. Frames KServ does not own
 * are never mapped; an access to one is refused.
 */
#include "kcore.h"
#include "log.h"
#include <kcore/abi.h>

static const struct pt_prot kserv_ram = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };
static const struct pt_prot kserv_mmio = { PT_MEM_DEVICE, PT_R | PT_W };

/* Map [base, end) of RAM minus the carve-out. */
static int map_bank(u64 base, u64 end)
{
	u64 cb = kc.carve_base, ce = kc.carve_base + kc.carve_size;
	int err = 0;

	if (ranges_overlap(base, end - base, cb, kc.carve_size)) {
		if (base < cb)
			err = pt_map(&kc.host.pt, base, pa(base), cb - base, kserv_ram);
		if (!err && ce < end)
			err = pt_map(&kc.host.pt, ce, pa(ce), end - ce, kserv_ram);
		return err;
	}
	return pt_map(&kc.host.pt, base, pa(base), end - base, kserv_ram);
}

int host_s2_init(u32 ipa_bits)
{
	u32 i;
	int err;

	err = pt_init(&kc.host.pt, PT_S2, ipa_bits, 0, &kc.pool);
	for (i = 0; !err && i < kc.plat.nmem; i++)
		err = map_bank(kc.plat.mem[i].base, range_end(&kc.plat.mem[i]));
	return err;
}

/* The largest block around @ipa that holds no RAM at all, or 0. */
static u64 mmio_block(u64 ipa)
{
	static const u32 levels[] = { 1, 2, 3 };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		u64 sz = pt_level_size(levels[i]), base = ALIGN_DOWN(ipa, sz);

		if (range_within(base, sz, 0, 1UL << kc.host.pt.ia_bits) && !frames_any_ram(&kc.frames, base, sz))
			return sz;
	}
	return 0;
}

/* The largest block around @ipa whose frames are all KServ's: 2 MiB or 4 KiB. */
static u64 ram_block(u64 ipa)
{
	u64 base = ALIGN_DOWN(ipa, SZ_2M);

	return frames_all_owned(&kc.frames, pa(base), SZ_2M, OWNER_KSERV) ? SZ_2M : PAGE_SIZE;
}

enum s2_fault host_s2_fault(u64 ipa, u16 *owner)
{
	u64 sz;
	int err;

	ticket_lock(&kc.frames.lock);
	*owner = frames_owner(&kc.frames, pa(ipa));
	if (*owner != OWNER_KSERV && *owner != OWNER_NOT_RAM) {
		ticket_unlock(&kc.frames.lock);
		return S2_FAULT_DENIED;
	}
	sz = *owner == OWNER_KSERV ? ram_block(ipa) : mmio_block(ipa);
	if (!sz) {
		ticket_unlock(&kc.frames.lock);
		return S2_FAULT_DENIED; /* beyond the IPA space */
	}
	err = pt_map(&kc.host.pt, ALIGN_DOWN(ipa, sz), pa(ALIGN_DOWN(ipa, sz)), sz,
		     *owner == OWNER_KSERV ? kserv_ram : kserv_mmio);
	ticket_unlock(&kc.frames.lock);
	if (err) {
		kc_log("host stage-2: cannot map IPA 0x%lx (error %d)", ipa, err);
		return S2_FAULT_DENIED;
	}
	return S2_FAULT_HANDLED;
}
