// SPDX-License-Identifier: GPL-2.0
/*
 * The one device-tree edit KCore makes: a copy of the loader's DTB with
 * /reserved-memory/kcore@BASE { reg = <BASE SIZE>; no-map; } added, so that
 * KServ keeps off KCore's carve-out by cooperation (stage-2 enforces it).
 */
#include "fdt.h"
#include "lib.h"
#include <kcore/abi.h>

struct writer {
	u8 *buf;
	u64 cap;
	u64 pos;
	bool overflow;
};

static void put_bytes(struct writer *w, const void *src, u64 n)
{
	if (w->overflow || n > w->cap - w->pos) {
		w->overflow = true;
		return;
	}
	kc_memcpy(w->buf + w->pos, src, n);
	w->pos += n;
}

static void put_u32(struct writer *w, u32 v)
{
	u8 b[4];

	fdt_put_be32(b, v);
	put_bytes(w, b, 4);
}

static void put_pad4(struct writer *w)
{
	static const u8 zero[4];

	put_bytes(w, zero, (4 - (w->pos & 3)) & 3);
}

/* Offset of @s in the strings block, or of where it will be appended. */
static u32 string_offset(const struct fdt *f, const char *s, struct writer *extra, u32 extra_base)
{
	size_t n = kc_strnlen(s, 64) + 1;
	u32 off;

	for (off = 0; off + n <= f->strings_size; off++)
		if (kc_memcmp(f->blob + f->strings_off + off, s, n) == 0 &&
		    (off == 0 || f->blob[f->strings_off + off - 1] == '\0'))
			return off;
	for (off = 0; off + n <= extra->pos; off++)
		if (kc_memcmp(extra->buf + off, s, n) == 0 && (off == 0 || extra->buf[off - 1] == '\0'))
			return extra_base + off;
	off = extra_base + (u32)extra->pos;
	put_bytes(extra, s, n);
	return off;
}

static void put_prop(struct writer *w, u32 nameoff, const void *val, u32 len)
{
	put_u32(w, FDT_PROP);
	put_u32(w, len);
	put_u32(w, nameoff);
	put_bytes(w, val, len);
	put_pad4(w);
}

static void put_cells(u8 *p, u64 v, u32 cells)
{
	if (cells == 2)
		fdt_put_be32(p, (u32)(v >> 32));
	fdt_put_be32(p + (cells == 2 ? 4 : 0), (u32)v);
}

static void put_node_name(struct writer *w, u64 base)
{
	char name[32] = "kcore@";
	int pos = 6, shift;
	bool started = false;

	for (shift = 60; shift >= 0; shift -= 4) {
		u32 nib = (u32)(base >> shift) & 0xf;

		if (nib || started || shift == 0) {
			name[pos++] = "0123456789abcdef"[nib];
			started = true;
		}
	}
	name[pos++] = '\0';
	put_bytes(w, name, (u64)pos);
	put_pad4(w);
}

struct rsv_node {
	u64 base, size;
	u32 ac, sc;
	bool with_parent;
};

/* Emit the new tokens: the kcore node, wrapped in /reserved-memory if needed. */
static void emit_nodes(const struct fdt *f, struct writer *w, struct writer *strs, const struct rsv_node *n)
{
	u32 s_reg, s_nomap, s_ac = 0, s_sc = 0, s_ranges = 0;
	u8 reg[16], cell[4];

	s_reg = string_offset(f, "reg", strs, f->strings_size);
	s_nomap = string_offset(f, "no-map", strs, f->strings_size);
	if (n->with_parent) {
		s_ac = string_offset(f, "#address-cells", strs, f->strings_size);
		s_sc = string_offset(f, "#size-cells", strs, f->strings_size);
		s_ranges = string_offset(f, "ranges", strs, f->strings_size);
		put_u32(w, FDT_BEGIN_NODE);
		put_bytes(w, "reserved-memory", 16);
		put_pad4(w);
		fdt_put_be32(cell, n->ac);
		put_prop(w, s_ac, cell, 4);
		fdt_put_be32(cell, n->sc);
		put_prop(w, s_sc, cell, 4);
		put_prop(w, s_ranges, NULL, 0);
	}
	put_u32(w, FDT_BEGIN_NODE);
	put_node_name(w, n->base);
	put_cells(reg, n->base, n->ac);
	put_cells(reg + 4 * n->ac, n->size, n->sc);
	put_prop(w, s_reg, reg, 4 * (n->ac + n->sc));
	put_prop(w, s_nomap, NULL, 0);
	put_u32(w, FDT_END_NODE);
	if (n->with_parent)
		put_u32(w, FDT_END_NODE);
}

static int plan(const struct fdt *f, u64 base, u64 size, struct rsv_node *n, int *ins)
{
	int root = fdt_root(f), rm;

	if (root < 0)
		return -KCORE_EINVAL;
	rm = fdt_subnode(f, root, "reserved-memory");
	n->base = base;
	n->size = size;
	n->with_parent = rm < 0;
	fdt_cells(f, rm < 0 ? root : rm, &n->ac, &n->sc);
	if (n->ac < 1 || n->ac > 2 || n->sc < 1 || n->sc > 2)
		return -KCORE_EINVAL;
	if ((n->ac == 1 && (base >> 32)) || (n->sc == 1 && (size >> 32)))
		return -KCORE_ERANGE;
	*ins = fdt_node_end(f, rm < 0 ? root : rm);
	return *ins < 0 ? -KCORE_EINVAL : 0;
}

int fdt_add_reserved(const struct fdt *f, u8 *dst, u64 cap, u64 base, u64 size, u32 *out_size)
{
	u8 extra_strs[64];
	struct writer strs = { extra_strs, sizeof(extra_strs), 0, false };
	struct writer w = { dst, cap, 0, false };
	struct rsv_node node;
	u32 rsv_bytes = (fdt_rsv_count(f) + 1) * 16, struct_off, strings_off, struct_size;
	int ins, err = plan(f, base, size, &node, &ins);

	if (err)
		return err;
	/* Header, filled in at the end. */
	put_bytes(&w, f->blob, FDT_HEADER_SIZE);
	put_bytes(&w, f->blob + f->rsvmap_off, rsv_bytes);
	struct_off = (u32)w.pos;
	put_bytes(&w, f->blob + f->struct_off, (u32)ins);
	emit_nodes(f, &w, &strs, &node);
	put_bytes(&w, f->blob + f->struct_off + ins, f->struct_size - (u32)ins);
	struct_size = (u32)w.pos - struct_off;
	strings_off = (u32)w.pos;
	put_bytes(&w, f->blob + f->strings_off, f->strings_size);
	put_bytes(&w, strs.buf, strs.pos);
	if (w.overflow || strs.overflow || w.pos > FDT_MAX_SIZE)
		return -KCORE_ENOSPC;
	fdt_put_be32(dst + 4, (u32)w.pos);
	fdt_put_be32(dst + 8, struct_off);
	fdt_put_be32(dst + 12, strings_off);
	fdt_put_be32(dst + 16, FDT_HEADER_SIZE);
	fdt_put_be32(dst + 20, 17);
	fdt_put_be32(dst + 24, 16);
	fdt_put_be32(dst + 32, (u32)(w.pos - strings_off));
	fdt_put_be32(dst + 36, struct_size);
	*out_size = (u32)w.pos;
	return 0;
}
