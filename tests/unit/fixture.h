/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_FIXTURE_H
#define UNIT_FIXTURE_H

#include "fake_arch.h"
#include "kcore.h"

#define FIXTURE_RAM_BASE 0x40000000UL

/* Two CPUs (MPIDR 0 and @cpu1_mpidr), @ram_size of RAM at 1 GiB whose top
 * 2 MiB is KCore's carve-out, a 64-page pool and KServ's stage-2. */
void fixture_machine(u64 ram_size, u64 cpu1_mpidr);

#endif
