/* SPDX-License-Identifier: GPL-2.0 */
/* The KServ kernel Image, embedded in out/sekvm.bin after KCore. */
	.section .kserv, "a"
	.incbin KSERV_IMAGE
