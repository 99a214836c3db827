// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-model checker's engine.
 *
 * Machine model:
 * - Page tables are the real ones KCore builds in memory. A TLB fill walks
 *   them at one instant (the 4 KiB-granule stage-2 format, read by this
 *   file's own walker, not KCore's) and caches the leaf: (VMID, input block,
 *   output block). Entries stay until a TLB invalidation of CPU 0 removes
 *   them; nothing else evicts them.
 * - One word per tracked frame, holding a label: the principal that wrote it
 *   and the frame's ownership epoch at that time (the epoch counts changes of
 *   the frame's owner in KCore's records). Memory holds one label; a
 *   coherent cache, shared by all cacheable accesses, holds at most one line
 *   per frame (clean or dirty). Non-cacheable accesses go to memory and
 *   ignore the cache; a dirty line may be written back at any time.
 * - KCore's own writes (to the tracked word of a frame) are cacheable
 *   writes of principal KCore, noticed at CPU 0's next event.
 *
 * Rules, checked in every reachable state:
 * - T: a VM reaches, through a translation it holds, only frames KCore's
 *   records say it owns.
 * - C: no principal reads a value a different VM wrote.
 * - A: once a KCore call that hands a tracked frame over has returned, no
 *   principal but its owner reaches it (KServ may still touch a frame while
 *   the call that takes it is running: that is the window KCore closes).
 * - I: an owner never reads a value that another principal (not KCore)
 *   wrote during its ownership.
 * - B: a CPU never holds two different translations for one address
 *   (break-before-make).
 * At the end of every KCore call, also:
 * - D: no dirty line written by a frame's earlier owner is left in the cache.
 * - M: no TLB entry of KServ (VMID 0) or of a live VM, and no entry of
 *   KServ's or a live VM's stage-2, covers a frame that principal does not
 *   own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcore.h"
#include "model.h"

enum { LINE_NONE, LINE_CLEAN, LINE_DIRTY };

struct label {
	u8 writer;
	u8 epoch;
};

struct line {
	u8 state;
	struct label v;
};

struct tlbe {
	u64 ipa;
	u64 pa;
	u8 shift; /* log2 of the block size */
	u8 vmid;
	u8 pad[6];
};

struct cpu {
	u8 princ;
	u8 ntlb;
	u8 pad[6];
	struct tlbe tlb[MODEL_MAX_TLB];
};

struct state {
	struct cpu cpu[MODEL_ADV_CPUS];
	struct line line[MODEL_MAX_FRAMES];
	struct label mem[MODEL_MAX_FRAMES];
	u8 pad[2];
};

struct princ {
	u32 handle; /* VMs */
	u16 owner;  /* its id in KCore's records */
};

/* A set of states: an array and an open-addressing hash index. */
struct set {
	struct state *s;
	u32 n, cap;
	u32 *index; /* slot -> state number + 1; 0 = empty */
	u32 slots;
};

enum model_bug model_bug;
struct model_stats model_stats;
bool model_active;

#define MAX_HANDLES 4

static struct {
	u64 frame[MODEL_MAX_FRAMES];
	u32 nframes;
	u8 owner[MODEL_MAX_FRAMES];    /* principal owning each frame, from the records */
	u8 op_owner[MODEL_MAX_FRAMES]; /* ... when the KCore call in progress began */
	u8 epoch[MODEL_MAX_FRAMES];    /* changes of owner, counted when a call ends */
	u64 word[MODEL_MAX_FRAMES];    /* the word as KCore last left it */
	struct princ princ[MODEL_MAX_PRINC];
	u32 nprinc;
	int cur_vm[MAX_HANDLES]; /* the principal of handle h's current VM, or -1 */
	bool runnable[MAX_HANDLES];
	u64 ipas[MAX_HANDLES][MODEL_MAX_IPAS];
	u32 nipas[MAX_HANDLES];
	struct set set;
	char violation[512];
	const char *where; /* the KCore call in progress */
} m;

/* ---- the state set ---- */

static u64 hash_state(const struct state *s)
{
	const u8 *p = (const u8 *)s;
	u64 h = 1469598103934665603UL;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		h = (h ^ p[i]) * 1099511628211UL;
	return h;
}

static void set_grow(struct set *st)
{
	u32 i;

	st->cap = st->cap ? st->cap * 2 : 1024;
	st->s = realloc(st->s, st->cap * sizeof(*st->s));
	free(st->index);
	st->slots = st->cap * 2;
	st->index = calloc(st->slots, sizeof(*st->index));
	if (!st->s || !st->index) {
		fprintf(stderr, "model: out of memory at %u states\n", st->n);
		exit(2);
	}
	for (i = 0; i < st->n; i++) {
		u32 k = (u32)(hash_state(&st->s[i]) % st->slots);

		while (st->index[k])
			k = (k + 1) % st->slots;
		st->index[k] = i + 1;
	}
}

/* Add @s unless present; true if it was new. */
static bool set_add(struct set *st, const struct state *s)
{
	u32 k;

	if (st->n == st->cap)
		set_grow(st);
	k = (u32)(hash_state(s) % st->slots);
	while (st->index[k]) {
		if (!memcmp(&st->s[st->index[k] - 1], s, sizeof(*s)))
			return false;
		k = (k + 1) % st->slots;
	}
	st->s[st->n] = *s;
	st->index[k] = ++st->n;
	return true;
}

/* ---- violations ---- */

static const char *pname(u32 p)
{
	static char buf[4][24];
	static u32 next;
	char *b = buf[next++ % 4];

	if (p == P_KSERV)
		return "KServ";
	if (p == P_KCORE)
		return "KCore";
	snprintf(b, sizeof(buf[0]), "VM%u#%u", m.princ[p].handle, p);
	return b;
}

static void violate(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void violate(const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (m.violation[0])
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(m.violation, sizeof(m.violation), "%s (during %s)", what, m.where ? m.where : "?");
}

const char *model_violation(void)
{
	return m.violation[0] ? m.violation : NULL;
}

/* ---- principals and frames ---- */

int model_frame_index(u64 p)
{
	u32 i;

	for (i = 0; i < m.nframes; i++)
		if (ALIGN_DOWN(p, PAGE_SIZE) == m.frame[i])
			return (int)i;
	return -1;
}

/* The principal that KCore's records name as the owner of @p. */
static u8 owner_princ(u64 p)
{
	u16 o = frames_owner(&kc.frames, pa(p));
	u32 h;

	if (owner_is_vm(o)) {
		h = o - OWNER_VM_FIRST;
		if (h < MAX_HANDLES && m.cur_vm[h] >= 0)
			return (u8)m.cur_vm[h];
		return P_KCORE; /* a VM the model does not know: nobody's */
	}
	return o == OWNER_KSERV ? P_KSERV : P_KCORE;
}

static const struct pgtable *princ_table(u32 p)
{
	u32 h = m.princ[p].handle;

	if (p == P_KSERV)
		return &kc.host.pt;
	if (p < P_VM_FIRST || m.cur_vm[h] != (int)p || !m.runnable[h] || !kc.vms[h])
		return NULL;
	return &kc.vms[h]->s2;
}

static u8 princ_vmid(u32 p)
{
	return p == P_KSERV ? 0 : (u8)(m.princ[p].handle + 1);
}

/* The input addresses principal @p touches. */
static u32 princ_ipas(u32 p, u64 *out)
{
	u32 i, h = m.princ[p].handle;

	if (p == P_KSERV) {
		for (i = 0; i < m.nframes; i++)
			out[i] = m.frame[i];
		return m.nframes;
	}
	for (i = 0; i < m.nipas[h]; i++)
		out[i] = m.ipas[h][i];
	return m.nipas[h];
}

/* ---- the hardware: walks, translations, memory ---- */

/* The architecture's stage-2 walk (4 KiB granule) of @pt for @ipa. */
static bool walk(const struct pgtable *pt, u64 ipa, struct tlbe *e)
{
	const u64 *table = (const u64 *)(uintptr_t)pt->root.v;
	u32 level;

	if (ipa >> pt->ia_bits)
		return false;
	for (level = pt->start_level; level < 4; level++) {
		u32 shift = 12 + 9 * (3 - level);
		u64 d = table[(ipa >> shift) & 511];

		if (!(d & 1))
			return false;
		if (level < 3 && (d & 2)) {
			table = (const u64 *)(uintptr_t)(d & PTE_OA_MASK);
			continue;
		}
		if (level == 0 || (level == 3 && !(d & 2)))
			return false; /* reserved encodings */
		memset(e, 0, sizeof(*e));
		e->shift = (u8)shift;
		e->ipa = ALIGN_DOWN(ipa, 1UL << shift);
		e->pa = ALIGN_DOWN(d & PTE_OA_MASK, 1UL << shift);
		e->vmid = (u8)pt->vmid;
		return true;
	}
	return false;
}

static bool covers(const struct tlbe *e, u8 vmid, u64 ipa)
{
	return e->vmid == vmid && ipa >= e->ipa && ipa - e->ipa < (1UL << e->shift);
}

static int tlbe_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct tlbe));
}

static void tlb_insert(struct state *s, u32 c, const struct tlbe *e)
{
	struct cpu *cpu = &s->cpu[c];
	u32 i;

	for (i = 0; i < cpu->ntlb; i++)
		if (!memcmp(&cpu->tlb[i], e, sizeof(*e)))
			return;
	if (cpu->ntlb == MODEL_MAX_TLB) {
		fprintf(stderr, "model: a TLB is full (MODEL_MAX_TLB too small for the scenario)\n");
		exit(2);
	}
	cpu->tlb[cpu->ntlb++] = *e;
	qsort(cpu->tlb, cpu->ntlb, sizeof(cpu->tlb[0]), tlbe_cmp);
}

static void tlb_remove_if(struct state *s, u8 vmid, bool all, u64 ipa)
{
	u32 c, i, k;

	for (c = 0; c < MODEL_ADV_CPUS; c++) {
		struct cpu *cpu = &s->cpu[c];

		for (i = k = 0; i < cpu->ntlb; i++)
			if (!(cpu->tlb[i].vmid == vmid && (all || covers(&cpu->tlb[i], vmid, ipa))))
				cpu->tlb[k++] = cpu->tlb[i];
		memset(&cpu->tlb[k], 0, (cpu->ntlb - k) * sizeof(cpu->tlb[0]));
		cpu->ntlb = (u8)k;
	}
}

/* The output address of @ipa for CPU @c, from its TLB; false if none. */
static bool translate(const struct state *s, u32 c, u64 ipa, u64 *out)
{
	const struct cpu *cpu = &s->cpu[c];
	u8 vmid = princ_vmid(cpu->princ);
	bool found = false;
	u32 i;

	for (i = 0; i < cpu->ntlb; i++) {
		const struct tlbe *e = &cpu->tlb[i];
		u64 pa;

		if (!covers(e, vmid, ipa))
			continue;
		pa = e->pa + (ipa - e->ipa);
		if (found && pa != *out)
			violate("B: %s holds two translations of IPA 0x%lx", pname(cpu->princ), ipa);
		*out = pa;
		found = true;
	}
	return found;
}

/* Not being handed from one owner to another by the KCore call in progress. */
static bool settled(u32 f)
{
	return m.owner[f] == m.op_owner[f];
}

static void check_read(u32 p, u32 f, struct label v)
{
	if (v.writer >= P_VM_FIRST && v.writer != p)
		violate("C: %s read data %s wrote (frame 0x%lx)", pname(p), pname(v.writer), m.frame[f]);
	if (v.writer != p && v.writer != P_KCORE && m.owner[f] == p && settled(f) && v.epoch == m.epoch[f])
		violate("I: %s read data %s wrote into its frame 0x%lx", pname(p), pname(v.writer), m.frame[f]);
}

enum access { RD_CACHED, RD_NC, WR_CACHED, WR_NC, NACCESS };

static void access(struct state *s, u32 c, u64 ipa, enum access a)
{
	u32 p = s->cpu[c].princ;
	struct label mine = { (u8)p, 0 };
	u64 out;
	int f;

	if (!translate(s, c, ipa, &out))
		return; /* a fault: no access */
	if (p >= P_VM_FIRST && frames_owner(&kc.frames, pa(out)) != owner_vm(m.princ[p].handle))
		violate("T: %s reached frame 0x%lx, owned by %s", pname(p), out, pname(owner_princ(out)));
	f = model_frame_index(out);
	if (f < 0)
		return; /* untracked: rule T and the op-end checks cover it */
	if (settled((u32)f) && m.owner[f] != p)
		violate("A: %s reached frame 0x%lx, %s's", pname(p), out, pname(m.owner[f]));
	mine.epoch = m.epoch[f];
	switch (a) {
	case RD_CACHED:
		if (s->line[f].state == LINE_NONE)
			s->line[f] = (struct line){ LINE_CLEAN, s->mem[f] };
		check_read(p, (u32)f, s->line[f].v);
		break;
	case RD_NC:
		check_read(p, (u32)f, s->mem[f]);
		break;
	case WR_CACHED:
		s->line[f] = (struct line){ LINE_DIRTY, mine };
		break;
	default:
		s->mem[f] = mine;
		break;
	}
}

static void write_back(struct state *s, u32 f)
{
	if (s->line[f].state == LINE_DIRTY)
		s->mem[f] = s->line[f].v;
	memset(&s->line[f], 0, sizeof(s->line[f]));
}

/* ---- exploring ---- */

static void try_state(const struct state *s)
{
	model_stats.transitions++;
	set_add(&m.set, s);
}

/* Every action of every adversary CPU from state @i. */
static void successors(u32 i)
{
	u64 ipas[MODEL_MAX_FRAMES];
	u32 c, j, n, a, f, h;

	for (c = 0; c < MODEL_ADV_CPUS; c++) {
		struct state base = m.set.s[i], t;
		u32 p = base.cpu[c].princ;
		const struct pgtable *pt = princ_table(p);

		n = princ_ipas(p, ipas);
		for (j = 0; j < n; j++) {
			struct tlbe e;

			if (pt && walk(pt, ipas[j], &e)) {
				t = base;
				tlb_insert(&t, c, &e);
				try_state(&t);
			}
			for (a = 0; a < NACCESS; a++) {
				t = base;
				access(&t, c, ipas[j], (enum access)a);
				try_state(&t);
			}
		}
		/* Switch principals: from a VM back to KServ, from KServ into a
		 * VM that may run. */
		for (h = 0; h < MAX_HANDLES; h++) {
			t = base;
			if (p != P_KSERV)
				t.cpu[c].princ = P_KSERV;
			else if (m.cur_vm[h] >= 0 && m.runnable[h])
				t.cpu[c].princ = (u8)m.cur_vm[h];
			else
				continue;
			try_state(&t);
			if (p != P_KSERV)
				break;
		}
	}
	for (f = 0; f < m.nframes; f++) {
		struct state t = m.set.s[i];

		write_back(&t, f);
		try_state(&t);
	}
}

static void closure(void)
{
	u32 i;

	for (i = 0; i < m.set.n && !m.violation[0]; i++)
		successors(i);
}

/* Replace every state by @fn(state). */
static void map_states(void (*fn)(struct state *, u64, u64), u64 a, u64 b)
{
	struct set old = m.set;
	u32 i;

	m.set = (struct set){ 0 };
	for (i = 0; i < old.n; i++) {
		struct state t = old.s[i];

		fn(&t, a, b);
		set_add(&m.set, &t);
	}
	free(old.s);
	free(old.index);
}

static void kcore_writes(struct state *s, u64 mask, u64 unused)
{
	u32 f;

	(void)unused;
	for (f = 0; f < m.nframes; f++)
		if (mask & (1UL << f))
			s->line[f] = (struct line){ LINE_DIRTY, { P_KCORE, m.epoch[f] } };
}

/* What KCore did between events without telling: its writes to tracked
 * words, then changes of owner in its records. True if anything changed. */
static bool sync(void)
{
	u64 mask = 0;
	bool owners = false;
	u32 f;

	for (f = 0; f < m.nframes; f++)
		if (*(u64 *)(uintptr_t)m.frame[f] != m.word[f]) {
			m.word[f] = *(u64 *)(uintptr_t)m.frame[f];
			mask |= 1UL << f;
		}
	if (mask)
		map_states(kcore_writes, mask, 0);
	for (f = 0; f < m.nframes; f++) {
		u8 o = owner_princ(m.frame[f]);

		if (o != m.owner[f]) {
			m.owner[f] = o;
			owners = true;
		}
	}
	return mask || owners;
}

static void fx_tlbi_ipa(struct state *s, u64 vmid, u64 ipa)
{
	tlb_remove_if(s, (u8)vmid, false, ipa);
}

static void fx_tlbi_vmid(struct state *s, u64 vmid, u64 unused)
{
	(void)unused;
	tlb_remove_if(s, (u8)vmid, true, 0);
}

static void fx_clean(struct state *s, u64 va, u64 size)
{
	u32 f;

	for (f = 0; f < m.nframes; f++)
		if (ranges_overlap(m.frame[f], PAGE_SIZE, va, size))
			write_back(s, f);
}

static void record_size(void)
{
	model_stats.states += m.set.n;
	if (m.set.n > model_stats.max_states)
		model_stats.max_states = m.set.n;
}

void model_event(enum model_event ev, u64 a, u64 b)
{
	if (!model_active || m.violation[0])
		return;
	model_stats.steps++;
	closure();
	if (sync())
		closure();
	record_size();
	switch (ev) {
	case EV_TLBI_S2_IPA:
		map_states(fx_tlbi_ipa, a, b);
		break;
	case EV_TLBI_S2_VMID:
		map_states(fx_tlbi_vmid, a, b);
		break;
	case EV_DCACHE_CLEAN:
		map_states(fx_clean, a, b);
		break;
	default: /* a descriptor store or a barrier: memory itself is the state */
		break;
	}
}

/* ---- the checks at the end of a KCore call ---- */

static void check_lines(const struct state *s)
{
	u32 f;

	for (f = 0; f < m.nframes; f++) {
		const struct line *l = &s->line[f];

		if (l->state == LINE_DIRTY && l->v.writer != P_KCORE && l->v.writer != m.owner[f] &&
		    l->v.epoch != m.epoch[f])
			violate("D: a dirty line %s wrote is left in frame 0x%lx, now %s's", pname(l->v.writer),
				m.frame[f], pname(m.owner[f]));
	}
}

/* The owner a translation for VMID @vmid may point at, or -1 (dead VMID). */
static int vmid_owner(u8 vmid)
{
	u32 h = (u32)vmid - 1;

	if (vmid == 0)
		return OWNER_KSERV;
	return h < KCORE_MAX_VMS && kc.vms[h] ? owner_vm(h) : -1;
}

static void check_block(u8 vmid, u64 base, u64 size, const char *what)
{
	int want = vmid_owner(vmid);
	u64 off;

	if (want < 0)
		return;
	for (off = 0; off < size; off += PAGE_SIZE) {
		u16 o = frames_owner(&kc.frames, pa(base + off));

		if (o != want && o != OWNER_NOT_RAM) {
			violate("M: %s of VMID %u covers frame 0x%lx, not its own", what, vmid, base + off);
			return;
		}
	}
}

static void check_tlbs(void)
{
	struct tlbe seen[256];
	u32 nseen = 0, i, c, k;

	for (i = 0; i < m.set.n; i++)
		for (c = 0; c < MODEL_ADV_CPUS; c++)
			for (k = 0; k < m.set.s[i].cpu[c].ntlb; k++) {
				const struct tlbe *e = &m.set.s[i].cpu[c].tlb[k];
				u32 j;

				for (j = 0; j < nseen && memcmp(&seen[j], e, sizeof(*e)); j++)
					;
				if (j < nseen)
					continue;
				if (nseen < ARRAY_SIZE(seen))
					seen[nseen++] = *e;
				check_block(e->vmid, e->pa, 1UL << e->shift, "a TLB entry");
			}
}

static void check_tables(void)
{
	const struct range *bank = &kc.plat.mem[0];
	struct tlbe e;
	u64 p;
	u32 h, j;

	for (p = bank->base; p < range_end(bank); p += PAGE_SIZE)
		if (frames_owner(&kc.frames, pa(p)) != OWNER_KSERV && walk(&kc.host.pt, p, &e))
			check_block(0, e.pa, 1UL << e.shift, "KServ's stage-2");
	for (h = 0; h < MAX_HANDLES; h++)
		for (j = 0; kc.vms[h] && j < m.nipas[h]; j++)
			if (walk(&kc.vms[h]->s2, m.ipas[h][j], &e))
				check_block(e.vmid, e.pa, 1UL << e.shift, "a VM's stage-2");
}

void model_op_begin(const char *what)
{
	m.where = what;
	memcpy(m.op_owner, m.owner, sizeof(m.owner));
}

void model_op_end(void)
{
	u32 i, f;

	model_event(EV_OP_END, 0, 0);
	/* The call is over: frames it gave away start a new epoch, and
	 * whatever the adversaries can do from here on is explored too. */
	for (f = 0; f < m.nframes; f++)
		if (m.owner[f] != m.op_owner[f]) {
			m.epoch[f]++;
			m.op_owner[f] = m.owner[f];
		}
	if (!m.violation[0])
		closure();
	record_size();
	for (i = 0; i < m.set.n && !m.violation[0]; i++)
		check_lines(&m.set.s[i]);
	if (!m.violation[0])
		check_tlbs();
	if (!m.violation[0])
		check_tables();
}

/* ---- scenario set-up ---- */

void model_begin(void)
{
	struct state s;
	u32 h;

	free(m.set.s);
	free(m.set.index);
	memset(&m, 0, sizeof(m));
	memset(&model_stats, 0, sizeof(model_stats));
	m.nprinc = P_VM_FIRST;
	m.princ[P_KSERV].owner = OWNER_KSERV;
	m.princ[P_KCORE].owner = OWNER_KCORE;
	for (h = 0; h < MAX_HANDLES; h++)
		m.cur_vm[h] = -1;
	memset(&s, 0, sizeof(s)); /* KServ everywhere, empty TLBs and cache */
	set_add(&m.set, &s);
	model_active = true;
}

void model_track(paddr_t p)
{
	u32 f = m.nframes++;

	if (f >= MODEL_MAX_FRAMES) {
		fprintf(stderr, "model: too many tracked frames\n");
		exit(2);
	}
	m.frame[f] = p.v;
	m.owner[f] = owner_princ(p.v);
	m.op_owner[f] = m.owner[f];
	m.word[f] = *(u64 *)(uintptr_t)p.v;
}

void model_vm_created(u32 h, const u64 *ipas, u32 n)
{
	u32 p = m.nprinc++;

	if (h >= MAX_HANDLES || p >= MODEL_MAX_PRINC || n > MODEL_MAX_IPAS) {
		fprintf(stderr, "model: scenario too large\n");
		exit(2);
	}
	m.princ[p] = (struct princ){ h, owner_vm(h) };
	m.cur_vm[h] = (int)p;
	m.runnable[h] = true;
	memcpy(m.ipas[h], ipas, n * sizeof(*ipas));
	m.nipas[h] = n;
}

static void stop_vm(struct state *s, u64 p, u64 unused)
{
	u32 c;

	(void)unused;
	for (c = 0; c < MODEL_ADV_CPUS; c++)
		if (s->cpu[c].princ == p)
			s->cpu[c].princ = P_KSERV;
}

void model_vm_stopping(u32 h)
{
	closure();
	m.runnable[h] = false;
	map_states(stop_vm, (u64)m.cur_vm[h], 0);
}
