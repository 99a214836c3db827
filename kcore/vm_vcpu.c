// SPDX-License-Identifier: GPL-2.0
/* The vCPU calls: create a VM's vCPUs, set their first state, run them;
 * the VM's timer offset. The vCPU state itself is vcpu.c's. */
#include "vm_internal.h"
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"
#include <kcore/abi.h>

/* The vCPU @index of VM @handle, or NULL. vm_lock held. */
static struct vcpu *vcpu_lookup(u32 handle, u64 index, struct vm **vmp)
{
	struct vm *vm = vm_lookup(handle);

	*vmp = vm;
	return vm && index < KCORE_MAX_VCPUS ? vm->vcpus[index] : NULL;
}

int vcpu_create(u32 handle, u64 index)
{
	struct vm *vm;
	struct vcpu *v;
	paddr_t page;
	int err = 0;

	ticket_lock(&kc.vm_lock);
	if (vcpu_lookup(handle, index, &vm))
		err = -KCORE_EEXIST;
	else if (!vm || index >= KCORE_MAX_VCPUS)
		err = -KCORE_ENOENT;
	else if (!(page = pool_alloc(&vm->pool)).v)
		err = -KCORE_ENOMEM;
	if (!err) {
		v = arch_pa_to_va(page);
		v->index = (u32)index;
		v->vmpidr = vcpu_mpidr((u32)index);
		vcpu_reset(v, 0, 0);
		vm->vcpus[index] = v;
	}
	ticket_unlock(&kc.vm_lock);
	return err;
}

/* The vCPU @index of VM @handle if it exists and is not running; else NULL and *err. vm_lock held. */
static struct vcpu *idle_vcpu(u32 handle, u64 index, int *err)
{
	struct vm *vm;
	struct vcpu *v = vcpu_lookup(handle, index, &vm);

	*err = 0;
	if (!v)
		*err = -KCORE_ENOENT;
	else if (__atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
		*err = -KCORE_EBUSY;
	return *err ? NULL : v;
}

int vcpu_init(u32 handle, u64 index, u64 pc, u64 x0)
{
	struct vcpu *v;
	int err;

	ticket_lock(&kc.vm_lock);
	v = idle_vcpu(handle, index, &err);
	if (v)
		vcpu_reset(v, pc, x0);
	ticket_unlock(&kc.vm_lock);
	return err;
}

int vcpu_set_reg(u32 handle, u64 index, u64 reg, u64 val)
{
	struct vcpu *v;
	int err;

	ticket_lock(&kc.vm_lock);
	v = idle_vcpu(handle, index, &err);
	if (v)
		err = vcpu_set_initial_reg(v, reg, val);
	ticket_unlock(&kc.vm_lock);
	return err;
}

/*
 * Guests may invalidate their TLB entries with local (non-broadcast)
 * operations, which only reach the CPU they run on: when a different vCPU
 * of the same VM ran on this CPU last, the entries it left must go. Only
 * this CPU touches its slot, and it runs one vCPU at a time.
 */
static bool switched_vcpu(struct vm *vm, const struct vcpu *v)
{
	u32 cpu = arch_cpu_index();
	u8 me = (u8)(v->index + 1);
	bool switched;

	KC_CHECK(cpu < KCORE_MAX_CPUS);
	switched = vm->last_vcpu[cpu] != me;
	vm->last_vcpu[cpu] = me;
	return switched;
}

int vcpu_run(u32 handle, u64 index, u64 flags, const u64 *answer, struct exit_record *rec)
{
	struct raw_exit e;
	struct vm *vm;
	struct vcpu *v;
	u32 idle = 0;
	int err;

	ticket_lock(&kc.vm_lock);
	v = vcpu_lookup(handle, index, &vm);
	if (!v || !__atomic_compare_exchange_n(&v->running, &idle, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		ticket_unlock(&kc.vm_lock);
		return v ? -KCORE_EBUSY : -KCORE_ENOENT;
	}
	ticket_unlock(&kc.vm_lock);
	/* While it runs the vCPU keeps its VM alive: vm_destroy() refuses. */
	err = vcpu_apply_answer(v, flags, answer);
	if (!err) {
		v->ran = true;
		arch_vcpu_run(vm, v, &e, switched_vcpu(vm, v));
		vcpu_decode_exit(v, &e, rec);
	}
	__atomic_store_n(&v->running, 0, __ATOMIC_RELEASE);
	return err;
}

int vm_set_timer(u32 handle, u64 cntvoff)
{
	struct vm *vm;
	int err = 0;

	ticket_lock(&kc.vm_lock);
	vm = vm_lookup(handle);
	if (!vm)
		err = -KCORE_ENOENT;
	else if (vm_any_running(vm))
		err = -KCORE_EBUSY; /* every vCPU of a VM sees one offset */
	else
		vm->cntvoff = cntvoff;
	ticket_unlock(&kc.vm_lock);
	return err;
}
