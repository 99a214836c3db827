// SPDX-License-Identifier: GPL-2.0
/* A small sequential writer for flattened device trees (DTB version 17). */
#include <stdlib.h>
#include <string.h>

#include "fdt_build.h"

#define FDT_MAGIC 0xd00dfeedU

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void grow(uint8_t **buf, size_t *cap, size_t need, int *error)
{
	if (need <= *cap)
		return;
	*cap = need * 2;
	*buf = realloc(*buf, *cap);
	if (!*buf)
		*error = 1;
}

static void emit(struct fdtw *w, const void *data, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;

	grow(&w->st, &w->st_cap, w->st_len + padded, &w->error);
	if (w->error)
		return;
	memcpy(w->st + w->st_len, data, len);
	memset(w->st + w->st_len + len, 0, padded - len);
	w->st_len += padded;
}

static void emit32(struct fdtw *w, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	emit(w, b, 4);
}

static uint32_t string_off(struct fdtw *w, const char *name)
{
	size_t off = 0, n = strlen(name) + 1;

	while (off < w->str_len) {
		if (!strcmp(w->str + off, name))
			return (uint32_t)off;
		off += strlen(w->str + off) + 1;
	}
	grow((uint8_t **)&w->str, &w->str_cap, w->str_len + n, &w->error);
	if (w->error)
		return 0;
	memcpy(w->str + w->str_len, name, n);
	w->str_len += n;
	return (uint32_t)off;
}

void fdtw_init(struct fdtw *w)
{
	memset(w, 0, sizeof(*w));
}

void fdtw_begin(struct fdtw *w, const char *name)
{
	emit32(w, 1);
	emit(w, name, strlen(name) + 1);
	w->depth++;
}

void fdtw_end(struct fdtw *w)
{
	emit32(w, 2);
	w->depth--;
}

void fdtw_prop(struct fdtw *w, const char *name, const void *val, size_t len)
{
	emit32(w, 3);
	emit32(w, (uint32_t)len);
	emit32(w, string_off(w, name));
	emit(w, val, len);
}

void fdtw_u32(struct fdtw *w, const char *name, uint32_t v)
{
	fdtw_cells(w, name, &v, 1);
}

void fdtw_cells(struct fdtw *w, const char *name, const uint32_t *cells, size_t n)
{
	uint8_t buf[256];
	size_t i;

	if (n * 4 > sizeof(buf)) {
		w->error = 1;
		return;
	}
	for (i = 0; i < n; i++)
		put32(buf + 4 * i, cells[i]);
	fdtw_prop(w, name, buf, n * 4);
}

void fdtw_u64s(struct fdtw *w, const char *name, const uint64_t *v, size_t n)
{
	uint32_t cells[64];
	size_t i;

	if (n > 32) {
		w->error = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		cells[2 * i] = (uint32_t)(v[i] >> 32);
		cells[2 * i + 1] = (uint32_t)v[i];
	}
	fdtw_cells(w, name, cells, 2 * n);
}

void fdtw_str(struct fdtw *w, const char *name, const char *s)
{
	fdtw_prop(w, name, s, strlen(s) + 1);
}

void fdtw_strs(struct fdtw *w, const char *name, const char *s, size_t len)
{
	fdtw_prop(w, name, s, len);
}

void *fdtw_finish(struct fdtw *w, size_t *size)
{
	size_t hdr = 40, rsv = 16, total;
	uint8_t *b;

	emit32(w, 9); /* FDT_END */
	if (w->error || w->depth != 0)
		return NULL;
	total = hdr + rsv + w->st_len + w->str_len;
	b = calloc(1, total);
	if (!b)
		return NULL;
	put32(b, FDT_MAGIC);
	put32(b + 4, (uint32_t)total);
	put32(b + 8, (uint32_t)(hdr + rsv));
	put32(b + 12, (uint32_t)(hdr + rsv + w->st_len));
	put32(b + 16, (uint32_t)hdr);
	put32(b + 20, 17);
	put32(b + 24, 16);
	put32(b + 32, (uint32_t)w->str_len);
	put32(b + 36, (uint32_t)w->st_len);
	memcpy(b + hdr + rsv, w->st, w->st_len);
	memcpy(b + hdr + rsv + w->st_len, w->str, w->str_len);
	free(w->st);
	free(w->str);
	*size = total;
	return b;
}
