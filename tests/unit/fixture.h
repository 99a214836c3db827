/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_FIXTURE_H
#define UNIT_FIXTURE_H

#include "fake_arch.h"
#include "kcore.h"

/* The fixture's RAM: real host memory, 2 MiB aligned, so that KCore can
 * write to the pages it owns. "Physical" addresses are its host addresses. */
extern u64 fixture_ram;

/* Two CPUs (MPIDR 0 and @cpu1_mpidr), @ram_size of RAM whose top 2 MiB is
 * KCore's carve-out, a 64-page pool and KServ's stage-2 (48-bit IPA). */
void fixture_machine(u64 ram_size, u64 cpu1_mpidr);

/* RAM at @off from the fixture's base. */
static inline u64 ram(u64 off)
{
	return fixture_ram + off;
}

#endif
