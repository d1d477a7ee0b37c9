/* fuzz_proto.c: libFuzzer target for what netlab reads of a node's routing daemon (model/
 * protocol.c, util/json.c): a student's node could print anything where FRR's vtysh or BIRD's
 * birdc is expected, so any output gives an answer and what was seen, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assertion.h"
#include "json.h"
#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const asserts[] = { "r1 ospf neighbor 2.2.2.2 full dr",
					       "r1 bgp neighbor 10.0.0.2 established",
					       "r1 bgp advertises 10.1.0.0/24 to 10.0.0.2" };
	char *text = malloc(size + 1);
	struct json *j = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	if (json_parse(text, &j) == 0)
		json_free(j);
	for (size_t i = 0; i < sizeof(asserts) / sizeof(asserts[0]); i++)
		for (int bird = 0; bird < 2; bird++) {
			struct topo_assert a = { 0 };
			struct topo_diag why = { 0 };
			char *seen = NULL, *name;

			if (topo_assert_parse(asserts[i], &a, &why) < 0)
				abort();
			(void)proto_found(&a, bird, text, &seen);
			if (!seen)
				abort(); /* what was seen is always said */
			free(seen);
			name = proto_bird_bgp_name(text, "10.0.0.2");
			free(name);
			topo_assert_clear(&a);
		}
	free(text);
	return 0;
}
