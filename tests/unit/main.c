// SPDX-License-Identifier: GPL-2.0
/* Runs every registered unit test and prints "N passed, N failed". */
#include <stdlib.h>

#include "harness.h"

int unit_failures;

extern const struct unit_test __start_unit_tests[], __stop_unit_tests[];

int main(int argc, char **argv)
{
	const struct unit_test *t;
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);

	for (t = __start_unit_tests; t < __stop_unit_tests; t++) {
		int before = unit_failures;

		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		t->fn();
		if (unit_failures == before) {
			passed++;
			printf("ok   %s\n", t->name);
		} else {
			failed++;
			printf("FAIL %s\n", t->name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
