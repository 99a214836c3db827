// SPDX-License-Identifier: GPL-2.0
/* KCore's console log and a minimal formatter. */
#include "log.h"
#include "arch.h"
#include "spinlock.h"

static ticket_lock_t log_lock = TICKET_LOCK_INIT;

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct out *o, u64 v, u32 base, int width, bool neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		out_c(o, '0');
	while (n)
		out_c(o, tmp[--n]);
}

static u64 arg_u(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, u64) : va_arg(*ap, u32);
}

static void out_conv(struct out *o, char c, int lng, int width, va_list *ap)
{
	const char *s;
	s64 sv;

	switch (c) {
	case 's':
		for (s = va_arg(*ap, const char *); s && *s; s++)
			out_c(o, *s);
		break;
	case 'c':
		out_c(o, (char)va_arg(*ap, int));
		break;
	case 'd':
		sv = lng ? va_arg(*ap, s64) : va_arg(*ap, int);
		out_num(o, sv < 0 ? (u64)-sv : (u64)sv, 10, width, sv < 0);
		break;
	case 'u':
		out_num(o, arg_u(ap, lng), 10, width, false);
		break;
	case 'x':
		out_num(o, arg_u(ap, lng), 16, width, false);
		break;
	case 'p':
		out_c(o, '0');
		out_c(o, 'x');
		out_num(o, (u64)(uintptr_t)va_arg(*ap, void *), 16, width, false);
		break;
	default:
		out_c(o, '%');
		out_c(o, c);
	}
}

size_t kc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;

		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			out_c(&o, '%');
			continue;
		}
		while (*fmt >= '0' && *fmt <= '9' && width < 64)
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		if (!*fmt)
			break;
		out_conv(&o, *fmt, lng, width, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len < size ? o.len : (size ? size - 1 : 0);
}

size_t kc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = kc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void puts_locked(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			arch_console_putc('\r');
		arch_console_putc(*s);
	}
}

void kc_log(const char *fmt, ...)
{
	char line[192];
	va_list ap;

	va_start(ap, fmt);
	kc_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ticket_lock(&log_lock);
	puts_locked("kcore: ");
	puts_locked(line);
	puts_locked("\n");
	ticket_unlock(&log_lock);
}

void kc_panic(const char *file, int line, const char *what)
{
	kc_log("PANIC: internal check failed at %s:%d: %s", file, line, what);
	arch_halt();
}
