// SPDX-License-Identifier: GPL-2.0
/* KCore's formatter and log lines, and its memory helpers. */
#include "fake_arch.h"
#include "harness.h"
#include "lib.h"
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

/* kc_memset/kc_memcpy: every alignment and length, nothing written outside. */
TEST(lib_memset_memcpy_any_alignment)
{
	u8 buf[96], want[96], src[96];
	u32 off, len, soff, i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7 + 1);
	for (off = 0; off < 16; off++)
		for (len = 0; len <= 48; len++) {
			memset(buf, 0xcc, sizeof(buf));
			memset(want, 0xcc, sizeof(want));
			memset(want + off, 0x5a, len);
			CHECK(kc_memset(buf + off, 0x5a, len) == buf + off);
			CHECK_EQ(memcmp(buf, want, sizeof(buf)), 0);
			for (soff = 0; soff < 16; soff++) {
				memset(buf, 0xcc, sizeof(buf));
				memset(want, 0xcc, sizeof(want));
				memcpy(want + off, src + soff, len);
				CHECK(kc_memcpy(buf + off, src + soff, len) == buf + off);
				CHECK_EQ(memcmp(buf, want, sizeof(buf)), 0);
			}
		}
}
