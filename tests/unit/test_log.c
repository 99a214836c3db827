// SPDX-License-Identifier: GPL-2.0
/* KCore's formatter and log lines. */
#include "fake_arch.h"
#include "harness.h"
#include "log.h"

TEST(log_format_and_prefix)
{
	char buf[64];

	CHECK_EQ(kc_snprintf(buf, sizeof(buf), "%s=%d %u 0x%lx %016lx %c%%", "a", -42, 7U, 0xabcUL, 0x1fUL, 'z'), 33);
	CHECK(strcmp(buf, "a=-42 7 0xabc 000000000000001f z%") == 0);
	CHECK_EQ(kc_snprintf(buf, 8, "%s", "truncated!"), 7);
	CHECK(strcmp(buf, "truncat") == 0);
	fake_reset();
	kc_log("hello %u", 3U);
	CHECK(strcmp(fake.console, "kcore: hello 3\r\n") == 0);
}
