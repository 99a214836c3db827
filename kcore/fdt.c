// SPDX-License-Identifier: GPL-2.0
/* Bounds-checked flattened device tree reader. */
#include "fdt.h"
#include "lib.h"
#include <kcore/abi.h>

#define PAD4(x) (((x) + 3U) & ~3U)

u32 fdt_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

u64 fdt_be64(const u8 *p)
{
	return (u64)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

void fdt_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

u64 fdt_read_cells(const u8 *p, u32 cells)
{
	return cells == 2 ? fdt_be64(p) : fdt_be32(p);
}

static u32 hdr(const u8 *b, u32 field)
{
	return fdt_be32(b + field * 4);
}

int fdt_open(struct fdt *f, const void *blob, u64 avail)
{
	const u8 *b = blob;
	u32 size, off;

	if (avail < FDT_HEADER_SIZE || hdr(b, 0) != FDT_MAGIC)
		return -KCORE_EINVAL;
	size = hdr(b, 1);
	if (size < FDT_HEADER_SIZE || size > avail || size > FDT_MAX_SIZE)
		return -KCORE_EINVAL;
	if (hdr(b, 5) < 16 || hdr(b, 6) > 17) /* version, last_comp_version */
		return -KCORE_EINVAL;
	f->blob = b;
	f->size = size;
	f->struct_off = hdr(b, 2);
	f->strings_off = hdr(b, 3);
	f->rsvmap_off = hdr(b, 4);
	f->strings_size = hdr(b, 8);
	f->struct_size = hdr(b, 9);
	if (!range_within(f->struct_off, f->struct_size, 0, size) ||
	    !range_within(f->strings_off, f->strings_size, 0, size) || f->rsvmap_off < FDT_HEADER_SIZE ||
	    f->rsvmap_off >= size || (f->struct_off & 3) || (f->rsvmap_off & 7) || f->struct_size < 8)
		return -KCORE_EINVAL;
	/* The reservation block must end with its terminator inside the blob. */
	off = f->rsvmap_off;
	while (off <= size - 16 && (fdt_be64(b + off) || fdt_be64(b + off + 8)))
		off += 16;
	return off <= size - 16 ? 0 : -KCORE_EINVAL;
}

/* Read the token at struct offset @off; 0 when out of bounds. */
static u32 token_at(const struct fdt *f, u32 off)
{
	if ((off & 3) || off > f->struct_size - 4)
		return 0;
	return fdt_be32(f->blob + f->struct_off + off);
}

static const char *cstr_at(const struct fdt *f, u32 blob_off, u32 limit, u32 *len)
{
	u32 n;

	if (blob_off >= limit)
		return NULL;
	n = (u32)kc_strnlen((const char *)f->blob + blob_off, limit - blob_off);
	if (n == limit - blob_off)
		return NULL; /* not terminated inside its block */
	*len = n;
	return (const char *)f->blob + blob_off;
}

/* Offset just past a token at @off, or 0 on malformed input. */
static u32 skip_token(const struct fdt *f, u32 off)
{
	u32 tok = token_at(f, off), len, plen;

	switch (tok) {
	case FDT_BEGIN_NODE:
		if (!cstr_at(f, f->struct_off + off + 4, f->struct_off + f->struct_size, &len))
			return 0;
		return off + 4 + PAD4(len + 1);
	case FDT_PROP:
		if (off > f->struct_size - 12)
			return 0;
		plen = fdt_be32(f->blob + f->struct_off + off + 4);
		if (plen > f->struct_size || PAD4(plen) > f->struct_size - off - 12)
			return 0;
		return off + 12 + PAD4(plen);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return 0;
	}
}

int fdt_node_end(const struct fdt *f, int node)
{
	int depth = 0;
	u32 off = (u32)node;

	if (node < 0)
		return -1;
	do { /* skip_token() returns 0, never a valid next offset, on error */
		u32 tok = token_at(f, off);

		if (tok == FDT_BEGIN_NODE)
			depth++;
		else if (tok == FDT_END_NODE && --depth == 0)
			return (int)off;
		off = skip_token(f, off);
	} while (off);
	return -1;
}

int fdt_root(const struct fdt *f)
{
	u32 off = 0;

	while (token_at(f, off) == FDT_NOP)
		off += 4;
	return token_at(f, off) == FDT_BEGIN_NODE ? (int)off : -1;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	u32 off;

	if (node < 0 || token_at(f, (u32)node) != FDT_BEGIN_NODE)
		return -1;
	off = skip_token(f, (u32)node);
	while (off) {
		switch (token_at(f, off)) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return (int)off;
		case FDT_END_NODE:
			if (--(*depth) < 0)
				return -1;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		default:
			return -1;
		}
		off = skip_token(f, off);
	}
	return -1;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	u32 len;

	if (node < 0 || token_at(f, (u32)node) != FDT_BEGIN_NODE)
		return NULL;
	return cstr_at(f, f->struct_off + (u32)node + 4, f->struct_off + f->struct_size, &len);
}

const u8 *fdt_prop(const struct fdt *f, int node, const char *name, u32 *len)
{
	u32 off, next, nlen;

	if (node < 0 || token_at(f, (u32)node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = skip_token(f, (u32)node); off; off = next) {
		u32 tok = token_at(f, off);
		const u8 *p = f->blob + f->struct_off + off;
		const char *pname = NULL;
		u32 nameoff;

		next = skip_token(f, off); /* also bounds-checks a property */
		if (!next || (tok != FDT_PROP && tok != FDT_NOP))
			return NULL; /* malformed, or past the properties */
		if (tok == FDT_NOP)
			continue;
		nameoff = fdt_be32(p + 8);
		if (nameoff < f->strings_size)
			pname = cstr_at(f, f->strings_off + nameoff, f->strings_off + f->strings_size, &nlen);
		if (pname && kc_strcmp(pname, name) == 0) {
			*len = fdt_be32(p + 4);
			return p + 12;
		}
	}
	return NULL;
}

static bool name_matches(const char *node_name, const char *want)
{
	size_t i;

	for (i = 0; want[i]; i++)
		if (node_name[i] != want[i])
			return false;
	return node_name[i] == '\0' || node_name[i] == '@';
}

int fdt_subnode(const struct fdt *f, int parent, const char *name)
{
	int depth = 0, node = parent;

	for (;;) {
		node = fdt_next_node(f, node, &depth);
		if (node < 0 || depth < 1)
			return -1;
		if (depth == 1) {
			const char *n = fdt_node_name(f, node);

			if (n && name_matches(n, name))
				return node;
		}
	}
}

int fdt_path(const struct fdt *f, const char *path)
{
	char comp[64];
	int node = fdt_root(f);

	if (path[0] != '/')
		return -1;
	while (*path == '/' && node >= 0) {
		size_t n = 0;

		path++;
		if (!*path)
			break;
		while (path[n] && path[n] != '/') {
			if (n + 1 >= sizeof(comp))
				return -1;
			comp[n] = path[n];
			n++;
		}
		comp[n] = '\0';
		path += n;
		node = fdt_subnode(f, node, comp);
	}
	return node;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[32];
	int depth = 0, cur = fdt_root(f);

	if (cur < 0 || node == cur)
		return -1;
	stack[0] = cur;
	while ((cur = fdt_next_node(f, cur, &depth)) >= 0) {
		if (depth <= 0 || depth >= (int)ARRAY_SIZE(stack))
			return -1;
		stack[depth] = cur;
		if (cur == node)
			return stack[depth - 1];
	}
	return -1;
}

bool fdt_compatible(const struct fdt *f, int node, const char *compat)
{
	u32 len, pos = 0;
	const u8 *p = fdt_prop(f, node, "compatible", &len);

	if (!p)
		return false;
	while (pos < len) {
		size_t n = kc_strnlen((const char *)p + pos, len - pos);

		if (n == len - pos)
			return false; /* unterminated entry */
		if (kc_strcmp((const char *)p + pos, compat) == 0)
			return true;
		pos += (u32)n + 1;
	}
	return false;
}

u32 fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 def)
{
	u32 len;
	const u8 *p = fdt_prop(f, node, name, &len);

	return p && len == 4 ? fdt_be32(p) : def;
}

void fdt_cells(const struct fdt *f, int node, u32 *ac, u32 *sc)
{
	*ac = fdt_prop_u32(f, node, "#address-cells", 2);
	*sc = fdt_prop_u32(f, node, "#size-cells", 1);
}

u32 fdt_rsv_count(const struct fdt *f)
{
	u32 n = 0, off = f->rsvmap_off;

	/* fdt_open() checked that the terminator is inside the blob. */
	while (fdt_be64(f->blob + off) || fdt_be64(f->blob + off + 8)) {
		n++;
		off += 16;
	}
	return n;
}

void fdt_rsv_get(const struct fdt *f, u32 i, u64 *base, u64 *size)
{
	const u8 *e = f->blob + f->rsvmap_off + 16 * i;

	*base = fdt_be64(e);
	*size = fdt_be64(e + 8);
}
