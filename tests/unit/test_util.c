/* test_util.c: the growing string, the JSON writer's quoting, the word splitter, trim, streq,
 * parallel_for. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "out.h"
#include "parallel.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"

/* What out_json_quote writes for s. */
static char *quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	out_json_quote(f, s);
	fclose(f);
	return buf;
}

static int quotes_as(const char *s, const char *want)
{
	_cleanup_free_ char *got = quoted(s);
	int same = strcmp(got, want) == 0;

	if (!same)
		printf("# got %s, want %s\n", got, want);
	return same;
}

/* The words util_split_words finds in text, joined with '|', or "N:..." for a count it returns
 * that is not the number of words it gave. */
static char *split_as(const char *text, const char *seps, unsigned int flags, size_t max)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *w[8] = { 0 };
	int n = util_split_words(copy, seps, flags, w, max);
	struct strbuf sb = { 0 };

	if (n < 0)
		return util_xasprintf("error %d", n);
	for (int i = 0; i < n && i < (int)max; i++)
		strbuf_addf(&sb, "%s%s", i ? "|" : "", w[i]);
	if ((size_t)n > max)
		strbuf_addf(&sb, " (more)");
	return strbuf_detach(&sb);
}

static void test_split(void)
{
	static const struct {
		const char *text, *seps;
		unsigned int flags;
		size_t max;
		const char *want;
	} cases[] = {
		{ "a b  c", " ", 0, 8, "a|b|c" },
		{ "  lead and trail  ", " ", 0, 8, "lead|and|trail" },
		{ "", " ", 0, 8, "" },
		{ "   ", " \t", 0, 8, "" },
		{ "a,b\tc d", " \t,", 0, 8, "a|b|c|d" },
		{ "a b c", " ", 0, 2, "a|b (more)" },
		{ "a b", " ", 0, 2, "a|b" },
		{ "h1 runs \"ping -c 1 x\" succeeds", " \t", UTIL_WORDS_QUOTED, 8,
		  "h1|runs|\"ping -c 1 x|succeeds" },
		{ "h1 runs \"open", " \t", UTIL_WORDS_QUOTED, 8, "error -22" },
		{ "say \"a b\" plain\"quote", " ", 0, 8, "say|\"a|b\"|plain\"quote" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *got =
			split_as(cases[i].text, cases[i].seps, cases[i].flags, cases[i].max);

		ok(strcmp(got, cases[i].want) == 0, "split '%s' (max %zu): '%s', want '%s'",
		   cases[i].text, cases[i].max, got, cases[i].want);
	}
}

/* util_write_file_atomic never writes through a symlink at the path; util_read_file_beneath
 * refuses a symlink and a way out of its directory. */
static void test_files(void)
{
	char dir[] = "/tmp/netlab-test-util-XXXXXX";
	_cleanup_free_ char *victim = NULL, *path = NULL, *text = NULL;
	_cleanup_close_ int dfd = -1;
	unsigned int mode = 0;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	victim = util_xasprintf("%s/victim", dir);
	path = util_xasprintf("%s/file", dir);
	must(util_write_file_atomic(victim, "victim", 6, 0600));
	ok(symlink(victim, path) == 0, "a symlink planted at the path");
	must(util_write_file_atomic(path, "new", 3, 0640));
	must(util_read_file(victim, &text, NULL));
	ok(strcmp(text, "victim") == 0, "the symlink's target is untouched");
	free(steal_pointer(&text));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	must(util_read_file_beneath(dfd, "file", &text, NULL, &mode));
	ok(strcmp(text, "new") == 0 && mode == 0640, "the path holds the new file, mode 0640 (%o)",
	   mode);
	unlink(path);
	ok(symlink("victim", path) == 0, "a symlink inside the directory");
	ok(util_read_file_beneath(dfd, "file", &text, NULL, NULL) == -ELOOP, "is not followed");
	ok(util_read_file_beneath(dfd, "../etc/hostname", &text, NULL, NULL) == -EXDEV,
	   "nor is a way out");
	unlink(path);
	unlink(victim);
	rmdir(dir);
}

static void test_trim_streq(void)
{
	char a[] = " \t x y \n", b[] = "", c[] = "   ";

	ok(strcmp(util_trim(a), "x y") == 0, "trim cuts white space at both ends, keeps it inside");
	ok(strcmp(util_trim(b), "") == 0 && strcmp(util_trim(c), "") == 0,
	   "trim of nothing and of spaces alone is empty");
	ok(util_streq(NULL, NULL) && util_streq("a", "a") && !util_streq("a", NULL) &&
		   !util_streq(NULL, "a") && !util_streq("a", "b"),
	   "streq: equal strings, or both NULL");
}

/* keptbuf: what is kept of n bytes 'a'..'z' repeating, added in chunks of step, within max */
static char *kept_of(size_t n, size_t step, size_t max)
{
	struct keptbuf k;
	char chunk[1000];

	keptbuf_init(&k, max);
	for (size_t done = 0; done < n;) {
		size_t m = n - done < step ? n - done : step;

		for (size_t i = 0; i < m; i++)
			chunk[i] = (char)('a' + (done + i) % 26);
		keptbuf_add(&k, chunk, m);
		done += m;
	}
	return keptbuf_detach(&k);
}

static void test_keptbuf(void)
{
	char *s = kept_of(10, 3, 16);

	ok(strcmp(s, "abcdefghij") == 0, "keptbuf: less than its bound is kept whole");
	free(s);
	s = kept_of(16, 5, 16);
	ok(strcmp(s, "abcdefghijklmnop") == 0, "keptbuf: exactly its bound is kept whole");
	free(s);
	s = kept_of(40, 3, 16);
	ok(strcmp(s, "abcdefgh\n[netlab: 24 bytes of output cut here]\nghijklmn") == 0,
	   "keptbuf: the first and last halves kept, the cut counted (small chunks): %s", s);
	free(s);
	s = kept_of(40, 1000, 16);
	ok(strcmp(s, "abcdefgh\n[netlab: 24 bytes of output cut here]\nghijklmn") == 0,
	   "keptbuf: the same in one chunk larger than the ring: %s", s);
	free(s);
	s = kept_of(27, 4, 16);
	ok(strcmp(s, "abcdefgh\n[netlab: 11 bytes of output cut here]\ntuvwxyza") == 0,
	   "keptbuf: a ring wrapped once: %s", s);
	free(s);
	s = kept_of(0, 1, 16);
	ok(strcmp(s, "") == 0, "keptbuf: nothing added gives \"\"");
	free(s);
}

/* XML and HTML quoting: text and attributes (JUnit, the grade report). */
static void test_xml(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	out_xml_quote(f, "<a href=\"x\">'&'\n\x01", true);
	fputc('|', f);
	out_xml_quote(f, "a\nb", false);
	fclose(f);
	ok(!strcmp(buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&#10;|a\nb"),
	   "xml: markup as entities, a control character dropped, a line break kept in text only");
	free(buf);
}

/* The JSON reader: FRR's kind of output, escapes, and what it refuses. */
static void test_json(void)
{
	struct json *j = NULL;
	const struct json *n;
	_cleanup_free_ char *deep = NULL;
	struct strbuf sb = { 0 };

	ok(json_parse(" {\"neighbors\":{\"2.2.2.2\":[{\"nbrState\":\"Full/DR\",\"priority\":1,"
		      "\"up\":true,\"x\":null}]},\"s\":\"a\\u00e9\\n\\\"\"} ",
		      &j) == 0,
	   "json: an object of objects and arrays parses");
	n = json_get(json_get(j, "neighbors"), "2.2.2.2");
	ok(n && n->type == JSON_ARR && n->n == 1 &&
		   !strcmp(json_str(json_get(&n->kids[0], "nbrState")), "Full/DR") &&
		   !strcmp(json_str(json_get(&n->kids[0], "priority")), "1") &&
		   json_get(&n->kids[0], "up")->b && json_get(&n->kids[0], "x")->type == JSON_NULL,
	   "json: members, arrays, strings, numbers, true and null read back");
	ok(!strcmp(json_str(json_get(j, "s")), "a\xc3\xa9\n\""), "json: escapes, \\u as UTF-8");
	ok(!json_get(j, "none") && !json_get(n, "nbrState") && !json_str(n),
	   "json: what is not there");
	json_free(j);
	for (int i = 0; i < JSON_DEPTH_MAX + 1; i++)
		strbuf_addf(&sb, "[");
	for (int i = 0; i < JSON_DEPTH_MAX + 1; i++)
		strbuf_addf(&sb, "]");
	deep = strbuf_detach(&sb);
	ok(json_parse(deep, &j) == -EINVAL && !j, "json: deeper than %d is refused",
	   JSON_DEPTH_MAX);
	ok(json_parse("{\"a\":1,}", &j) == -EINVAL && json_parse("[1 2]", &j) == -EINVAL &&
		   json_parse("\"a", &j) == -EINVAL && json_parse("{} x", &j) == -EINVAL &&
		   json_parse("", &j) == -EINVAL,
	   "json: a trailing comma, a missing comma, an open string, trailing text, nothing");
}

struct counts {
	_Atomic unsigned *seen;
};

static void count_one(size_t i, void *ctx)
{
	struct counts *c = ctx;

	c->seen[i]++;
}

static void test_parallel(void)
{
	static const size_t sizes[] = { 0, 1, 63, 64, 65, 1000, 100000 };

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
		for (size_t threads = 1; threads <= 128; threads *= 8) {
			size_t n = sizes[s], once = 0;
			struct counts c = { .seen = calloc(n + 1, sizeof(*c.seen)) };

			parallel_for(n, threads, 64, count_one, &c);
			for (size_t i = 0; i < n; i++)
				once += c.seen[i] == 1;
			ok(once == n && c.seen[n] == 0,
			   "parallel_for: %zu iterations on up to %zu threads, each called once", n,
			   threads);
			free(c.seen);
		}
	ok(parallel_cpus() >= 1, "parallel_cpus: %zu", parallel_cpus());
}

int main(void)
{
	struct strbuf sb = { 0 };
	char *s;

	test_split();
	test_trim_streq();
	test_files();
	test_keptbuf();
	test_json();
	test_xml();
	test_parallel();

	ok(strcmp(strbuf_str(&sb), "") == 0 && sb.len == 0, "an empty strbuf reads as \"\"");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%s%d", i ? "," : "", i);
	ok(sb.len == strlen(sb.buf) && sb.len == 3889 && strncmp(sb.buf, "0,1,2,", 6) == 0 &&
		   strcmp(sb.buf + sb.len - 4, ",999") == 0,
	   "1000 appends: length %zu, ends in ',999'", sb.len);
	ok(sb.cap >= sb.len + 1 && sb.cap < 4 * sb.len,
	   "capacity grows geometrically (%zu for %zu)", sb.cap, sb.len);
	s = strbuf_detach(&sb);
	ok(sb.buf == NULL && sb.len == 0 && strlen(s) == 3889,
	   "detach hands the text over and empties the buffer");
	free(s);
	s = strbuf_detach(&sb);
	ok(s && strcmp(s, "") == 0, "detaching an empty strbuf gives \"\"");
	free(s);
	strbuf_addf(&sb, "%s", "");
	ok(sb.buf && sb.len == 0, "appending nothing still gives a string");
	strbuf_release(&sb);

	ok(quotes_as("plain", "\"plain\""), "plain text");
	ok(quotes_as("a\"b\\c", "\"a\\\"b\\\\c\""), "quote and backslash escaped");
	ok(quotes_as("l1\nl2\tx", "\"l1\\nl2\\tx\""), "newline and tab escaped");
	ok(quotes_as("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""),
	   "control characters and DEL as \\u00XX");
	ok(quotes_as("caf\xc3\xa9", "\"caf\xc3\xa9\""), "UTF-8 passes through");
	ok(quotes_as("", "\"\""), "empty string");
	{
		char *buf = NULL;
		size_t len = 0;
		struct out_json j = { .f = open_memstream(&buf, &len) };

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "k\"ey", "v");
		out_json_str(&j, "null", NULL);
		out_json_begin(&j, "list", '[');
		out_json_int(&j, NULL, -5);
		out_json_bool(&j, NULL, true);
		out_json_end(&j, ']');
		out_json_end(&j, '}');
		fclose(j.f);
		ok(strcmp(buf, "{\"k\\\"ey\":\"v\",\"null\":null,\"list\":[-5,true]}\n") == 0,
		   "a document: %s", buf);
		free(buf);
	}
	return tap_done();
}
