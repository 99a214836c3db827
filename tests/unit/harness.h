/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny unit-test harness: TEST() registers, CHECK*() report and count. */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failures;

#define TEST(name)                                                                                                     \
	static void test_##name(void);                                                                                 \
	static const struct unit_test ut_##name __attribute__((used, section("unit_tests"))) = { #name, test_##name }; \
	static void test_##name(void)

#define CHECK(cond)                                                                                                    \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			printf("    FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                     \
			unit_failures++;                                                                               \
		}                                                                                                      \
	} while (0)

#define CHECK_EQ(a, b)                                                                                                 \
	do {                                                                                                           \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b);                         \
		if (_a != _b) {                                                                                        \
			printf("    FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", __FILE__, __LINE__, #a, #b, _a, _b);   \
			unit_failures++;                                                                               \
		}                                                                                                      \
	} while (0)

#endif /* UNIT_HARNESS_H */
