/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding string and memory helpers for KCore. */
#ifndef KCORE_LIB_H
#define KCORE_LIB_H

#include "types.h"

void *kc_memset(void *dst, int c, size_t n);
void *kc_memcpy(void *dst, const void *src, size_t n);
int kc_memcmp(const void *a, const void *b, size_t n);
size_t kc_strnlen(const char *s, size_t max);
int kc_strcmp(const char *a, const char *b);
bool kc_streq_n(const char *a, const char *b, size_t n);

#endif /* KCORE_LIB_H */
