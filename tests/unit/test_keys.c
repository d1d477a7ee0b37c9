/* test_keys.c: the key table (netlab/model/inikeys.c) against netlab.ini(5) and a file using every
 * key. With the loader's assertion that every key it reads is in the table, this keeps the man
 * page complete: a key the loader reads and the page lacks fails here or in test_loader. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "inikeys.h"
#include "tap.h"
#include "topo.h"
#include "topo_ini.h"
#include "util.h"

#define MAN_PAGE TEST_DATA "/../../docs/man/netlab.ini.5"
#define ALL_KEYS TEST_DATA "/good/all-keys.ini"

/* The man page's text with troff's escapes for '-' undone and font changes removed. */
static char *man_text(void)
{
	char *text = NULL, *out;
	size_t k = 0;

	if (util_read_file(MAN_PAGE, &text, NULL) < 0)
		return NULL;
	out = util_xstrdup(text);
	for (size_t i = 0; text[i]; i++) {
		if (text[i] == '\\' && text[i + 1] == '-') {
			out[k++] = '-';
			i++;
		} else if (text[i] == '\\' && text[i + 1] == 'f' && text[i + 2]) {
			i += 2;
		} else {
			out[k++] = text[i];
		}
	}
	out[k] = '\0';
	free(text);
	return out;
}

static bool key_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Whether word appears in text as a whole word (not inside a longer key). */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || !key_char(p[-1])) && !(key_char(p[n]) && p[n] != '.'))
			return true;
	return false;
}

/* The section's type as the table names it, from a "[type arg]" line. */
static void section_of(const char *line, char *out, size_t size)
{
	char type[32] = "", arg[64] = "";

	sscanf(line, "[%31[a-z] %63[^]]", type, arg);
	snprintf(out, size, "%s",
		 strcmp(type, "defaults") == 0 && strcmp(arg, "test") == 0 ? "defaults test" :
									     type);
}

/* Whether a key of ALL_KEYS in section sec stands for the table's entry k. */
static bool stands_for(const struct topo_ini_key *k, const char *sec, const char *key)
{
	const char *dot = strchr(key, '.');

	if (strcmp(k->section, sec) != 0)
		return false;
	if (strcmp(k->key, "IFNAME") == 0)
		return !topo_ini_key_listed(sec, key);
	if (strcmp(k->key, "KEY.NODE") == 0) {
		char base[64];

		return dot && (size_t)(dot - key) < sizeof(base) &&
		       snprintf(base, sizeof(base), "%.*s", (int)(dot - key), key) > 0 &&
		       strcmp(sec, "node") != 0 && topo_ini_key_listed(sec, base);
	}
	if (strcmp(k->key, key) == 0)
		return true;
	/* a family: exec.N stands for exec.2, not for exec */
	return isupper((unsigned char)k->key[strlen(k->key) - 1]) && strchr(k->key, '.') && dot &&
	       strncmp(k->key, key, (size_t)(strchr(k->key, '.') - k->key) + 1) == 0;
}

static void check_all_keys_file(void)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ bool *seen = calloc(topo_ini_n_keys, sizeof(bool));
	struct topo *t = NULL;
	char sec[48] = "";

	ok(topo_load(ALL_KEYS, &t) == 0 && t, "all-keys.ini loads");
	if (t) {
		topo_check(t);
		ok(t->diag.n == 0, "all-keys.ini has no problem (%zu, first: %s)", t->diag.n,
		   t->diag.n ? t->diag.msgs[0] : "none");
		topo_free(t);
	}
	if (!ok(util_read_file(ALL_KEYS, &text, NULL) == 0 && seen, "all-keys.ini is readable"))
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char key[128];

		if (line[0] == '[') {
			section_of(line, sec, sizeof(sec));
			continue;
		}
		if (line[0] == ';' || sscanf(line, "%127[a-z0-9._-] =", key) != 1)
			continue;
		for (size_t i = 0; i < topo_ini_n_keys; i++)
			if (stands_for(&topo_ini_keys[i], sec, key))
				seen[i] = true;
	}
	for (size_t i = 0; i < topo_ini_n_keys; i++)
		ok(seen[i], "all-keys.ini uses [%s] %s", topo_ini_keys[i].section,
		   topo_ini_keys[i].key);
}

static void check_man_page(void)
{
	_cleanup_free_ char *man = man_text();

	if (!ok(man != NULL, "%s is readable", MAN_PAGE))
		return;
	for (size_t i = 0; i < topo_ini_n_keys; i++)
		ok(has_word(man, topo_ini_keys[i].key), "netlab.ini(5) documents [%s] %s",
		   topo_ini_keys[i].section, topo_ini_keys[i].key);
	ok(!has_word(man, "no-such-key"), "the check finds only what is there");
}

static void check_listed(void)
{
	ok(topo_ini_key_listed("node", "sysctl.net.ipv4.ip_forward"), "sysctl.KEY is a family");
	ok(topo_ini_key_listed("node", "exec.12") && topo_ini_key_listed("node", "exec"),
	   "exec and exec.N");
	ok(topo_ini_key_listed("node", "sysctl.") && topo_ini_key_listed("node", "exec."),
	   "a family's key with nothing after the dot is the family's (the loader says what is wrong)");
	ok(!topo_ini_key_listed("node", "sysctl"), "a family's prefix alone is not");
	ok(!topo_ini_key_listed("node", "eth0"),
	   "an interface is not listed (IFNAME is the loader's)");
	ok(!topo_ini_key_listed("lab", "kind"), "a key of another section is not listed");
	ok(topo_ini_key_listed("defaults test", "within") &&
		   !topo_ini_key_listed("defaults", "within"),
	   "[defaults test] is its own section");
}

int main(void)
{
	check_listed();
	check_all_keys_file();
	check_man_page();
	return tap_done();
}
