/* fuzz_assert.c: libFuzzer target for the assertion parser (model/assertion.c), which reads what a
 * [test] expect line or a test file says: any input gives an assertion or a reason, never a crash,
 * and a `matches` pattern it takes compiles within REGEX_COST_MAX (libFuzzer's -rss_limit_mb
 * catches one that would not). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assertion.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct topo_assert a = { 0 };
	struct topo_diag why = { 0 };
	int r;

	memcpy(text, data, size);
	text[size] = '\0';
	r = topo_assert_parse(text, &a, &why);
	if ((r == 0) != (why.n == 0))
		abort(); /* a refusal always says why, and only a refusal */
	topo_assert_clear(&a);
	topo_diag_clear(&why);
	free(text);
	return 0;
}
