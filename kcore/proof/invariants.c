// SPDX-License-Identifier: GPL-2.0
/*
 * Proof only (scripts/prove.sh; not built): invariants (4) and (6) of
 * mem_protect.h follow from (1), (2) and (3), so the handlers need to keep
 * only those. Here rather than in the header so that these lemmas are not
 * hypotheses of every goal of every file that includes it.
 */
#define KCORE_LEMMA_STEPS
#include "lemmas.h"

/*@
  // (4) and (6) follow from (1), (2) and (3): the handlers maintain those.
  lemma kcore_not_kserv_mapped{L}:
    \forall integer q, o, ia; inv_one_owner && inv_kserv_maps && owned_by(q, o) && kcore_owner(o) &&
      ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.host.pt, ia, q);
  lemma kcore_not_vm_mapped{L}:
    \forall integer q, o, h, ia; inv_one_owner && 0 <= h < KCORE_MAX_VMS && inv_vm_maps(h) && kc.vms[h] != \null &&
      owned_by(q, o) && kcore_owner(o) && ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.vms[h]->s2, ia, q);
  lemma vms_maps_each{L}: inv_vms_maps ==> \forall integer h; 0 <= h < KCORE_MAX_VMS ==> inv_vm_maps(h);
  lemma kcore_unmapped{L}: inv_one_owner && inv_kserv_maps && inv_vms_maps ==> inv_kcore_unmapped;
  lemma vm_frames_apart{L}:
    \forall integer h1, h2, ia1, ia2, q;
      inv_one_owner && 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
      inv_vm_maps(h1) && inv_vm_maps(h2) && kc.vms[h1] != \null && kc.vms[h2] != \null &&
      ia1 % PAGE_SIZE == 0 && ia2 % PAGE_SIZE == 0 && pt_maps(&kc.vms[h1]->s2, ia1, q) ==>
	!pt_maps(&kc.vms[h2]->s2, ia2, q);
  lemma vms_private{L}: inv_one_owner && inv_vms_maps ==> inv_private;
 */
