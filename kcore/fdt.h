/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, bounds-checked reader for flattened device trees (DTB), plus the
 * one edit KCore makes: adding its carve-out as a no-map reserved-memory node.
 * Every offset read from the blob is checked against the blob's size: the
 * DTB comes from the loader and is treated as untrusted input.
 */
#ifndef KCORE_FDT_H
#define KCORE_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_HEADER_SIZE 40U
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U
#define FDT_MAX_SIZE (2U << 20) /* the arm64 boot protocol's limit */

struct fdt {
	const u8 *blob;
	u32 size;
	u32 struct_off;
	u32 struct_size;
	u32 strings_off;
	u32 strings_size;
	u32 rsvmap_off;
};

u32 fdt_be32(const u8 *p);
u64 fdt_be64(const u8 *p);
void fdt_put_be32(u8 *p, u32 v);

/* Validate the header of the blob at @blob, of which @avail bytes are
 * readable. Returns 0 or a negative KCORE_E* code. */
int fdt_open(struct fdt *f, const void *blob, u64 avail);

/* Node handles are offsets of FDT_BEGIN_NODE tokens in the struct block;
 * negative values mean "none". The root node is fdt_root(). */
int fdt_root(const struct fdt *f);
/* The next node in document order; *depth is updated (+1 for a child,
 * unchanged for a sibling, lower when leaving subtrees). Returns -1 at the
 * end of the tree or on a malformed blob. */
int fdt_next_node(const struct fdt *f, int node, int *depth);
/* The node's name (NUL-terminated, within the blob) or NULL. */
const char *fdt_node_name(const struct fdt *f, int node);
/* A property's value and length, or NULL if absent or malformed. */
const u8 *fdt_prop(const struct fdt *f, int node, const char *name, u32 *len);
/* A direct child by name; "cpu" matches "cpu@0" (unit address ignored when
 * @name has none). */
int fdt_subnode(const struct fdt *f, int parent, const char *name);
/* Offset of the FDT_END_NODE token that closes @node, or -1. */
int fdt_node_end(const struct fdt *f, int node);
/* An absolute path such as "/psci" or "/reserved-memory". */
int fdt_path(const struct fdt *f, const char *path);
/* The node's parent, found by a walk from the root; -1 for the root. */
int fdt_parent(const struct fdt *f, int node);
bool fdt_compatible(const struct fdt *f, int node, const char *compat);
/* A u32 property, or @def when absent or not 4 bytes long. */
u32 fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 def);
/* #address-cells and #size-cells that apply to @node's children. */
void fdt_cells(const struct fdt *f, int node, u32 *ac, u32 *sc);
/* Read a number of @cells (1 or 2) big-endian cells. */
u64 fdt_read_cells(const u8 *p, u32 cells);

/* The memory reservation block (/memreserve/ entries). */
u32 fdt_rsv_count(const struct fdt *f);
void fdt_rsv_get(const struct fdt *f, u32 i, u64 *base, u64 *size);

/*
 * Write a copy of @src to @dst (capacity @cap) that also holds
 * /reserved-memory/kcore@BASE { reg = <BASE SIZE>; no-map; }, creating
 * /reserved-memory when it is missing. *out_size receives the new
 * totalsize. Returns 0 or a negative KCORE_E* code.
 */
int fdt_add_reserved(const struct fdt *src, u8 *dst, u64 cap, u64 base, u64 size, u32 *out_size);

#endif /* KCORE_FDT_H */
