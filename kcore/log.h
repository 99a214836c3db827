/* SPDX-License-Identifier: GPL-2.0 */
/* KCore's console log: every line starts with "kcore: ". */
#ifndef KCORE_LOG_H
#define KCORE_LOG_H

#include <stdarg.h>

#include "types.h"

/* Format into @buf (always NUL-terminated); returns the length written.
 * Supports %s %c %d %u %x %p %%, the l/ll length modifiers and a
 * zero-padded width (%016lx). */
size_t kc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t kc_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One log line, "kcore: " + formatted text + newline, printed atomically. */
void kc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Always-on check of an internal invariant; never reachable from input. */
#define KC_CHECK(cond)                                                                                                 \
	do {                                                                                                           \
		if (!(cond))                                                                                           \
			kc_panic(__FILE__, __LINE__, #cond);                                                           \
	} while (0)

/*@ assigns \nothing;
    ensures \false;
 */
void kc_panic(const char *file, int line, const char *what) __attribute__((noreturn));

#endif /* KCORE_LOG_H */
