/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proof only (scripts/prove.sh): the state every VM handler keeps,
 * kcore_ok, and proof steps the files of VM management (vm.c, vm_mem.c)
 * share. Nothing here is code.
 */
#ifndef KCORE_PROOF_VM_SPEC_H
#define KCORE_PROOF_VM_SPEC_H

#include "../kcore.h"
#include "../mem_protect.h"
#include "../vm.h"

/*
 * The specification of the handlers below (docs/verification.md): each keeps
 * the global invariants of mem_protect.h (2) and (3), and the well-formed
 * state they rest on, with (1) as frames_ok.
 */
/*@
  // Every page of RAM is in KCore's linear map (arch_pa_to_va(): RAM is
  // mapped one to one), and one that is not KCore's own lies apart from kc
  // and from the frame records (both are in KCore's image or carve-out).
  predicate ram_mapped{L} =
    (\forall integer q, i; q % PAGE_SIZE == 0 && in_bank(&kc.frames, i, q) ==>
       word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1))) &&
    \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) && o != OWNER_KCORE ==>
      \base_addr(link(q)) != \base_addr(&kc) && \base_addr(link(q)) != \base_addr(kc.frames.rec);

  // A live VM's record and table pages are its metadata: the page whose
  // block holds the record (kva_words_apart), and every page of its pool.
  predicate vms_meta{L} =
    \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
      kva_page(\base_addr(kc.vms[h])) % PAGE_SIZE == 0 &&
      owned_by(kva_page(\base_addr(kc.vms[h])), OWNER_META_FIRST + h) &&
      \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h);

  // A VM's stage-2 maps a page at one address at most (so unmapping it
  // once leaves it unmapped).
  predicate vms_map_once{L} =
    \forall integer h, ia1, ia2, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null &&
      ia1 % PAGE_SIZE == 0 && ia2 % PAGE_SIZE == 0 &&
      pt_maps(&kc.vms[h]->s2, ia1, q) && pt_maps(&kc.vms[h]->s2, ia2, q) ==> ia1 == ia2;

  predicate kcore_ok{L} =
    frames_ok(&kc.frames) && host_pt_ok && vms_ok && inv_kserv_maps && inv_vms_maps &&
    kc_pool_kcore && ram_mapped && vms_meta && vms_map_once;
 */

/* Proof steps after a write that leaves every VM's record and table pages
 * alone (the donation and the scrub): each live VM's table fields, and the
 * words of its table pages, are those of Pre. @vmh names the VM. */
#ifdef __FRAMAC__
/* clang-format off */
#define VMS_TABLES_KEPT(vmh) \
	\forall integer vmh; 0 <= vmh < KCORE_MAX_VMS && kc.vms[vmh] != \null ==> \
		kc.vms[vmh]->s2.root.v == \at(kc.vms[vmh]->s2.root.v, Pre) && \
		kc.vms[vmh]->s2.start_level == \at(kc.vms[vmh]->s2.start_level, Pre) && \
		kc.vms[vmh]->s2.ia_bits == \at(kc.vms[vmh]->s2.ia_bits, Pre) && \
		kc.vms[vmh]->s2.pool == \at(kc.vms[vmh]->s2.pool, Pre) && \
		kc.vms[vmh]->pool.free_head == \at(kc.vms[vmh]->pool.free_head, Pre) && \
		kc.vms[vmh]->pool.nfree == \at(kc.vms[vmh]->pool.nfree, Pre)
#define VMS_POOLS_KEPT(vmh) \
	\forall integer vmh, q, k; 0 <= vmh < KCORE_MAX_VMS && kc.vms[vmh] != \null && \
		pool_owns(&kc.vms[vmh]->pool, q) && 0 <= k < 512 ==> kva_words(q)[k] == \at(kva_words(q)[k], Pre)
/* clang-format on */
#endif

#endif /* KCORE_PROOF_VM_SPEC_H */
