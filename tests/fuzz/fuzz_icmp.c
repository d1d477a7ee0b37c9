/* fuzz_icmp.c: libFuzzer target for the ICMP parser (kernel/icmp.c), whose input is whatever lab
 * traffic reaches a probe's raw socket. The first byte picks the family. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "icmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmp_in in;
	int af;

	if (size < 1)
		return 0;
	af = data[0] & 1 ? AF_INET6 : AF_INET;
	if (icmp_parse(af, data + 1, size - 1, &in) && in.reply == in.exceeded)
		abort(); /* a message of ours is exactly one of the two */
	return 0;
}
