/* SPDX-License-Identifier: GPL-2.0 */
/* A small sequential writer for flattened device trees. */
#ifndef VMM_FDT_BUILD_H
#define VMM_FDT_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct fdtw {
	uint8_t *st; /* structure block */
	size_t st_len, st_cap;
	char *str; /* strings block */
	size_t str_len, str_cap;
	int depth;
	int error;
};

void fdtw_init(struct fdtw *w);
void fdtw_begin(struct fdtw *w, const char *name);
void fdtw_end(struct fdtw *w);
void fdtw_prop(struct fdtw *w, const char *name, const void *val, size_t len);
void fdtw_u32(struct fdtw *w, const char *name, uint32_t v);
/* A list of 32-bit cells. */
void fdtw_cells(struct fdtw *w, const char *name, const uint32_t *cells, size_t n);
/* 64-bit values, each as two cells (for #address-cells = #size-cells = 2). */
void fdtw_u64s(struct fdtw *w, const char *name, const uint64_t *v, size_t n);
void fdtw_str(struct fdtw *w, const char *name, const char *s);
/* Several strings in one property ("a", "b"): pass "a\0b\0" and its size. */
void fdtw_strs(struct fdtw *w, const char *name, const char *s, size_t len);
/* The finished blob (malloc'd) and its size; NULL on error. */
void *fdtw_finish(struct fdtw *w, size_t *size);

#endif
