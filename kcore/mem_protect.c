// SPDX-License-Identifier: GPL-2.0
/* Ownership transitions between KServ and KCore or a VM. */
#include "mem_protect.h"
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"
#include <kcore/abi.h>

int mp_check_kserv(paddr_t p, u64 npages)
{
	u64 i;

	if (!npages || !IS_ALIGNED(p.v, PAGE_SIZE) || npages > (1UL << 36))
		return -KCORE_EINVAL;
	for (i = 0; i < npages; i++) {
		struct frame *fr = frames_get(&kc.frames, pa(p.v + i * PAGE_SIZE));

		if (!fr || fr->owner != OWNER_KSERV)
			return -KCORE_EACCES;
		if (fr->share_count || fr->pin_count)
			return -KCORE_EBUSY;
	}
	return pool_nfree(&kc.pool) >= HOST_S2_UNMAP_RESERVE ? 0 : -KCORE_ENOMEM;
}

void mp_take_from_kserv(paddr_t p, u64 npages, u16 owner)
{
	u64 i, size = npages * PAGE_SIZE;
	int err;

	for (i = 0; i < npages; i++)
		frames_get(&kc.frames, pa(p.v + i * PAGE_SIZE))->owner = owner;
	ticket_lock(&kc.host.lock);
	err = pt_unmap(&kc.host.pt, p.v, size);
	ticket_unlock(&kc.host.lock);
	KC_CHECK(err == 0); /* mp_check_kserv() reserved the pool pages */
	/* KServ may have written through a non-cacheable alias: drop every
	 * cached copy so that the new owner sees memory as it is. */
	arch_dcache_clean_inval_poc(arch_pa_to_va(p), size);
}

void mp_give_to_kserv(paddr_t p, struct frame *fr)
{
	void *v = arch_pa_to_va(p);

	kc_memset(v, 0, PAGE_SIZE);
	arch_dcache_clean_inval_poc(v, PAGE_SIZE);
	fr->owner = OWNER_KSERV;
	fr->share_count = 0;
	fr->pin_count = 0;
}
