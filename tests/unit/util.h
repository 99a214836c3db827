/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include <stddef.h>

/* Read a whole file (a DTB under the unit-test build directory). */
void *read_blob(const char *name, size_t *len);

#endif
