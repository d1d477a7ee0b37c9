/* topo_ini.c: INI file -> struct topo. The only file that includes <iniparser.h>.
 *
 * iniparser 4.1 parses the file, but it silently lowercases names, keeps the last of two equal
 * keys, drops sections whose name holds ':', cuts unquoted values at ';' or '#' and knows no
 * line numbers. So this file first scans the text itself (ini_scan), turning each of those traps
 * into a FILE:LINE error, then checks that iniparser read exactly the same sections, keys and
 * values (ini_crosscheck), takes the sections' entries from iniparser's dictionary (the scan
 * gives only their lines: ini_take_dicts) and builds the model from them (build_*). A file the
 * scan found faults in is built from the scan alone, so that one run reports every problem. */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <errno.h>
#include <search.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <iniparser.h>

#include "assertion.h"
#include "inikeys.h"
#include "strbuf.h"
#include "topo.h"
#include "topo_ini.h"
#include "util.h"

#define INI_LINE_MAX 1000 /* iniparser 4.1 rejects lines of 1024 bytes or more */

struct ini_kv {
	char *key; /* lowercase: uppercase is refused, as iniparser would lowercase it */
	char *value;
	int line;
	bool used;
};

struct ini_sec {
	char *raw; /* "type name" as iniparser stores it (uppercase is refused) */
	char *type; /* lab, node, link */
	char *arg; /* the name after the type, or "" */
	int line;
	struct ini_kv *kv;
	size_t n_kv;
};

struct ini_doc {
	struct ini_sec *secs;
	size_t n_secs;
	struct hsearch_data seen; /* "type name" -> section index + 1 */
	char **seen_keys;
	size_t n_seen_keys;
};

static const char *const section_types[] = { "lab", "node", "link", "lan", "test", "defaults" };

static void ini_kv_free(struct ini_kv *kv, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		free(kv[j].key);
		free(kv[j].value);
	}
	free(kv);
}

static void ini_doc_clear(struct ini_doc *d)
{
	for (size_t i = 0; i < d->n_secs; i++) {
		struct ini_sec *s = &d->secs[i];

		ini_kv_free(s->kv, s->n_kv);
		free(s->raw);
		free(s->type);
		free(s->arg);
	}
	free(d->secs);
	hdestroy_r(&d->seen);
	for (size_t i = 0; i < d->n_seen_keys; i++)
		free(d->seen_keys[i]);
	free(d->seen_keys);
}

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (isupper((unsigned char)*s))
			return true;
	return false;
}

static bool key_chars_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

/* Parses "[...]". Returns the new section, or NULL after reporting why it cannot be used. */
static struct ini_sec *scan_section(struct topo *t, struct ini_doc *d, char *s, int line)
{
	size_t n = strlen(s);
	char *inner, *type, *arg, *extra;
	struct ini_sec *sec;
	bool known = false;

	if (s[n - 1] != ']') {
		topo_error(t, line, "section header must end with ']' (no comment after it)");
		return NULL;
	}
	s[n - 1] = '\0';
	inner = util_trim(s + 1);
	if (strpbrk(inner, "[]:\"'=;#")) {
		topo_error(
			t, line,
			"section name '%s' contains a character iniparser cannot represent (one of []:\"'=;#)",
			inner);
		return NULL;
	}
	_cleanup_free_ char *raw = util_xstrdup(inner);
	type = strtok_r(inner, " \t", &extra);
	arg = type ? strtok_r(NULL, " \t", &extra) : NULL;
	if (!type) {
		topo_error(t, line, "empty section name");
		return NULL;
	}
	if (has_upper(raw)) {
		topo_error(
			t, line,
			"section name [%s] has uppercase letters: names are lowercase (iniparser would silently lowercase it)",
			raw);
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(section_types); i++)
		known |= strcmp(type, section_types[i]) == 0;
	if (!known) {
		topo_error(
			t, line,
			"unknown section type '%s' (expected [lab], [defaults], [node NAME], [link NAME], [lan NAME] or [test NAME])",
			type);
		return NULL;
	}
	if (extra && *util_trim(extra)) {
		topo_error(t, line, "section [%s %s] has more than one name: '%s'", type, arg,
			   util_trim(extra));
		return NULL;
	}
	if (strcmp(type, "lab") == 0 && arg) {
		topo_error(t, line, "[lab] takes no name (the lab's name is its 'name' key)");
		return NULL;
	}
	if (strcmp(type, "defaults") == 0 && arg && strcmp(arg, "router") && strcmp(arg, "host") &&
	    strcmp(arg, "test")) {
		topo_error(
			t, line,
			"[defaults %s]: defaults are for every node ([defaults]), every router ([defaults router]), every host ([defaults host]) or every test section ([defaults test])",
			arg);
		return NULL;
	}
	if (strcmp(type, "lab") != 0 && strcmp(type, "defaults") != 0) {
		if (!arg) {
			topo_error(t, line, "[%s] needs a name: [%s NAME]", type, type);
			return NULL;
		}
		if (!topo_name_valid(arg, TOPO_NAME_MAX)) {
			topo_error(
				t, line,
				"invalid %s name '%s': use 1 to %d of a-z, 0-9, '-' and '_', starting with a letter or digit",
				type, arg, TOPO_NAME_MAX);
			return NULL;
		}
	}
	{
		_cleanup_free_ char *id = util_xasprintf("%s %s", type, arg ? arg : "");
		ENTRY e = { .key = id, .data = (void *)(uintptr_t)(d->n_secs + 1) }, *found = NULL;

		hsearch_r(e, FIND, &found, &d->seen);
		if (found) {
			const struct ini_sec *o = &d->secs[(uintptr_t)found->data - 1];

			topo_error(t, line, "duplicate section [%s%s%s] (first at line %d)",
				   o->type, arg ? " " : "", arg ? arg : "", o->line);
			return NULL;
		}
		e.key = steal_pointer(&id);
		*(char **)util_grow(&d->seen_keys, &d->n_seen_keys, sizeof(char *)) = e.key;
		if (!hsearch_r(e, ENTER, &found, &d->seen))
			abort(); /* the table is sized for every line of the file */
	}
	sec = util_grow(&d->secs, &d->n_secs, sizeof(*sec));
	sec->raw = steal_pointer(&raw);
	sec->type = util_xstrdup(type);
	sec->arg = util_xstrdup(arg ? arg : "");
	sec->line = line;
	return sec;
}

/* Parses the value part of "key = value" the way iniparser does, refusing what it would lose. */
static int scan_value(struct topo *t, char *v, int line, char **out)
{
	v = util_trim(v);
	if (v[0] == '"' || v[0] == '\'') {
		char *end = strchr(v + 1, v[0]), *rest;

		if (!end) {
			topo_error(t, line, "unterminated %c quote in value", v[0]);
			return -EINVAL;
		}
		rest = util_trim(end + 1);
		if (*rest && *rest != ';' && *rest != '#') {
			topo_error(t, line,
				   "text after the closing quote: '%s' (iniparser would drop it)",
				   rest);
			return -EINVAL;
		}
		*end = '\0';
		*out = util_xstrdup(v + 1);
		return 0;
	}
	for (char *c = v; *c; c++) {
		if (*c != ';' && *c != '#')
			continue;
		if (c > v && !isspace((unsigned char)c[-1])) {
			topo_error(
				t, line,
				"'%c' inside a value starts a comment for iniparser: quote the value, or put a space before an inline comment",
				*c);
			return -EINVAL;
		}
		*c = '\0';
		break;
	}
	*out = util_xstrdup(util_trim(v));
	return 0;
}

static void scan_key(struct topo *t, struct ini_sec *sec, char *s, int line)
{
	char *eq = strchr(s, '='), *key;
	struct ini_kv *kv;
	_cleanup_free_ char *value = NULL;

	if (!eq) {
		topo_error(t, line, "expected 'key = value', '[section]' or a comment");
		return;
	}
	*eq = '\0';
	key = util_trim(s);
	if (!key_chars_valid(key)) {
		topo_error(t, line, "invalid key '%s': keys use a-z, 0-9, '-', '_' and '.'", key);
		return;
	}
	if (has_upper(key)) {
		topo_error(
			t, line,
			"key '%s' has uppercase letters: keys are lowercase (iniparser would silently lowercase it)",
			key);
		return;
	}
	if (scan_value(t, eq + 1, line, &value) < 0)
		return;
	if (!sec)
		return; /* the section header was already reported */
	for (size_t i = 0; i < sec->n_kv; i++) {
		if (strcmp(sec->kv[i].key, key) == 0) {
			topo_error(t, line, "duplicate key '%s' in [%s] (first at line %d)", key,
				   sec->raw, sec->kv[i].line);
			return;
		}
	}
	kv = util_grow(&sec->kv, &sec->n_kv, sizeof(*kv));
	kv->key = util_xstrdup(key);
	kv->value = steal_pointer(&value);
	kv->line = line;
}

static void ini_scan(struct topo *t, char *text, struct ini_doc *d)
{
	struct ini_sec *cur = NULL;
	bool in_bad_section = false;
	int line = 0;

	for (char *s = text, *next; s; s = next) {
		char *nl = strchr(s, '\n');

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		if (strlen(s) > INI_LINE_MAX) {
			topo_error(t, line, "line is longer than %d bytes", INI_LINE_MAX);
			continue;
		}
		s = util_trim(s);
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (s[strlen(s) - 1] == '\\') {
			topo_error(t, line,
				   "line ends with '\\': continuation lines are not supported");
			continue;
		}
		if (*s == '[') {
			size_t idx;

			cur = scan_section(t, d, s, line);
			in_bad_section = !cur;
			/* util_grow may move the array: keep an index, not a pointer, across
			 * sections. */
			idx = cur ? (size_t)(cur - d->secs) : 0;
			cur = cur ? &d->secs[idx] : NULL;
			continue;
		}
		if (!cur && !in_bad_section) {
			topo_error(t, line, "key outside any section");
			in_bad_section = true; /* say it once */
			continue;
		}
		scan_key(t, cur, s, line);
	}
}

static int ini_silent(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

struct flat {
	const char *key; /* "section" or "section:key", as iniparser names them */
	const char *val; /* NULL for a section */
	int line;
	char *owned;
};

static int flat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct flat *)a)->key, ((const struct flat *)b)->key);
}

static bool same_val(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* iniparser 4.1 looks every new entry up in all it holds: O(n^2) for a file of n entries (3 s for
 * 10,000 nodes). So a file that ini_scan found clean is given to it in slices of INI_SLICE
 * sections, each cut before a section line; the union of what it reads of the slices is what it
 * reads of the whole, as no section appears twice. A file with problems is read whole, so that
 * the cross-check's messages stay those of iniparser's own reading. */
#define INI_SLICE 256

/* iniparser's reading of text[from, to) appended to *theirs, its dictionary to *dicts. */
static int ini_load_slice(struct topo *t, size_t from, size_t to, struct flat **theirs, size_t *n,
			  dictionary ***dicts, size_t *nd)
{
	char path[64];
	/* iniparser reads only named files: give it the text read once, not the file again */
	_cleanup_close_ int fd =
		util_memfd_path("netlab-topology", t->text + from, to - from, path, sizeof(path));
	dictionary *dict = NULL;

	if (fd >= 0) {
		iniparser_set_error_callback(ini_silent);
		dict = iniparser_load(path);
		iniparser_set_error_callback(NULL);
	}
	if (!dict)
		return -EINVAL;
	*(dictionary **)util_grow(dicts, nd, sizeof(dict)) = dict;
	for (ssize_t j = 0; j < dict->size; j++) {
		struct flat *f;

		if (!dict->key[j])
			continue;
		f = util_grow(theirs, n, sizeof(*f));
		f->key = dict->key[j];
		f->val = dict->val[j];
	}
	return 0;
}

/* iniparser's reading of the whole text, slice by slice when it is clean (see INI_SLICE). */
static int ini_load_all(struct topo *t, const struct ini_doc *d, struct flat **theirs, size_t *n,
			dictionary ***dicts, size_t *nd)
{
	size_t from = 0, pos = 0, next = INI_SLICE;
	int line = 1, r;

	if (t->diag.n > 0 || d->n_secs <= INI_SLICE)
		return ini_load_slice(t, 0, t->text_len, theirs, n, dicts, nd);
	for (; pos < t->text_len && next < d->n_secs; pos++) {
		if (line == d->secs[next].line && (pos == 0 || t->text[pos - 1] == '\n')) {
			if ((r = ini_load_slice(t, from, pos, theirs, n, dicts, nd)) < 0)
				return r;
			from = pos;
			next += INI_SLICE;
		}
		line += t->text[pos] == '\n';
	}
	return ini_load_slice(t, from, t->text_len, theirs, n, dicts, nd);
}

static struct ini_kv *sec_find(const struct ini_sec *s, const char *key)
{
	for (size_t i = 0; i < s->n_kv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

/* The entries the model is built from become iniparser's: each section's keys and values as its
 * dictionary holds them (in file order, one pass over the dictionaries); the scan gives only the
 * line of each. Called once iniparser read exactly what the scan did. */
static void ini_take_dicts(struct ini_doc *d, dictionary **dicts, size_t nd)
{
	struct ini_sec *s = NULL;
	struct ini_kv *kv = NULL;
	size_t next = 0, n_kv = 0;

	for (size_t j = 0; j < nd; j++)
		for (ssize_t e = 0; e < dicts[j]->size; e++) {
			const char *key = dicts[j]->key[e], *colon = key ? strchr(key, ':') : NULL;
			struct ini_kv *mine;

			if (!key)
				continue;
			if (!colon) { /* a section: the next one the scan found */
				if (s) {
					ini_kv_free(s->kv, s->n_kv);
					s->kv = steal_pointer(&kv);
					s->n_kv = n_kv;
				}
				s = next < d->n_secs ? &d->secs[next++] : NULL;
				n_kv = 0;
				if (!s || strcmp(s->raw, key) != 0) /* cannot be: same file order */
					abort();
				continue;
			}
			if (!s || !(mine = sec_find(s, colon + 1)))
				abort(); /* cannot be: the cross-check found the same entries */
			*(struct ini_kv *)util_grow(&kv, &n_kv, sizeof(*kv)) = (struct ini_kv){
				.key = util_xstrdup(colon + 1),
				.value = util_xstrdup(dicts[j]->val[e] ? dicts[j]->val[e] : ""),
				.line = mine->line,
			};
		}
	if (s) {
		ini_kv_free(s->kv, s->n_kv);
		s->kv = kv;
		s->n_kv = n_kv;
	}
}

/* iniparser must have read exactly what ini_scan read: nothing dropped, renamed or overwritten.
 * Both are flattened to sorted (key, value) lists and merged: O(n log n). Then the model is built
 * from what iniparser read (ini_take_dicts). */
static void ini_crosscheck(struct topo *t, struct ini_doc *d)
{
	size_t problems = t->diag.n;

	_cleanup_free_ struct flat *mine = NULL, *theirs = NULL;
	_cleanup_free_ dictionary **dicts = NULL;
	size_t n_mine = 0, n_theirs = 0, i = 0, k = 0, n_dicts = 0;

	if (ini_load_all(t, d, &theirs, &n_theirs, &dicts, &n_dicts) < 0) {
		topo_error(t, 0, "iniparser cannot parse this file");
		for (size_t j = 0; j < n_dicts; j++)
			iniparser_freedict(dicts[j]);
		return;
	}
	for (size_t si = 0; si < d->n_secs; si++) {
		const struct ini_sec *sec = &d->secs[si];
		struct flat *f = util_grow(&mine, &n_mine, sizeof(*f));

		f->key = sec->raw;
		f->line = sec->line;
		for (size_t j = 0; j < sec->n_kv; j++) {
			f = util_grow(&mine, &n_mine, sizeof(*f));
			f->owned = util_xasprintf("%s:%s", sec->raw, sec->kv[j].key);
			f->key = f->owned;
			f->val = sec->kv[j].value;
			f->line = sec->kv[j].line;
		}
	}
	if (n_mine)
		qsort(mine, n_mine, sizeof(*mine), flat_cmp);
	if (n_theirs)
		qsort(theirs, n_theirs, sizeof(*theirs), flat_cmp);
	while (i < n_mine || k < n_theirs) {
		int c = 1; /* only theirs left */

		if (i < n_mine)
			c = k == n_theirs ? -1 : strcmp(mine[i].key, theirs[k].key);

		if (c < 0) {
			topo_error(t, mine[i].line,
				   "iniparser does not read '%s' here: rewrite the line",
				   mine[i].key);
			i++;
		} else if (c > 0) {
			topo_error(t, 0, "iniparser reads an entry '%s' that netlab does not see",
				   theirs[k].key);
			k++;
		} else {
			if (!same_val(mine[i].val, theirs[k].val))
				topo_error(
					t, mine[i].line,
					"iniparser reads this value as '%s', netlab as '%s': quote it",
					theirs[k].val ? theirs[k].val : "(nothing)",
					mine[i].val ? mine[i].val : "(nothing)");
			i++;
			k++;
		}
	}
	for (size_t j = 0; j < n_mine; j++)
		free(mine[j].owned);
	if (t->diag.n == problems)
		ini_take_dicts(d, dicts, n_dicts);
	for (size_t j = 0; j < n_dicts; j++)
		iniparser_freedict(dicts[j]);
}

/* ---- building the model from the scanned entries ---- */

/* The section's type as the key table names it. */
static const char *sec_kind(const struct ini_sec *s)
{
	return strcmp(s->type, "defaults") == 0 && strcmp(s->arg, "test") == 0 ? "defaults test" :
										 s->type;
}

/* Marks kv, a key of s that matched a family of keys (exec.N, sysctl.KEY, ...), as read. */
static void kv_take(const struct ini_sec *s, struct ini_kv *kv)
{
	assert(topo_ini_key_listed(sec_kind(s), kv->key));
	kv->used = true;
}

/* sec_find, marking the key as read. Every key read is in the key table (and so in netlab.ini(5),
 * which test_keys checks): one read without being listed is a bug, caught by any test of it. */
static struct ini_kv *sec_get(struct ini_sec *s, const char *key)
{
	struct ini_kv *kv = sec_find(s, key);

	assert(topo_ini_key_listed(sec_kind(s), key));

	if (kv)
		kv->used = true;
	return kv;
}

/* Reports the keys of s that nothing read; the rest of the arguments say what was expected. */
static void __attribute__((format(printf, 3, 4)))
report_unused(struct topo *t, struct ini_sec *s, const char *expected, ...)
{
	_cleanup_free_ char *exp = NULL;
	va_list ap;

	va_start(ap, expected);
	if (vasprintf(&exp, expected, ap) < 0)
		exp = NULL;
	va_end(ap);
	for (size_t i = 0; i < s->n_kv; i++)
		if (!s->kv[i].used)
			topo_error(t, s->kv[i].line, "unknown key '%s' in [%s] (expected %s)",
				   s->kv[i].key, s->raw, exp ? exp : "?");
}

/* [lab] layers-size / logs-size: the size of a tmpfs (the default stays when the key is bad) */
static void lab_size(struct topo *t, struct ini_sec *s, const char *key, unsigned long *mib)
{
	struct ini_kv *kv = sec_get(s, key);

	if (kv && topo_parse_size_mib(kv->value, TOPO_SIZE_MIB_MIN, TOPO_SIZE_MIB_MAX, mib) < 0)
		topo_error(t, kv->line, "invalid %s '%s': a size from 1M to 1024G (M: MiB, G: GiB)",
			   key, kv->value);
}

static void build_lab(struct topo *t, struct ini_sec *s)
{
	struct ini_kv *kv;

	t->line = s->line;
	if ((kv = sec_get(s, "name"))) {
		if (!topo_lab_name_valid(kv->value, TOPO_NAME_MAX))
			topo_error(
				t, kv->line,
				"invalid lab name '%s': use 1 to %d of A-Z, a-z, 0-9, '-', '_' and '.', starting with a letter or digit",
				kv->value, TOPO_NAME_MAX);
		else
			t->name = util_xstrdup(kv->value);
	} else {
		topo_error(t, s->line, "[lab] has no 'name'");
	}
	if ((kv = sec_get(s, "netns-prefix"))) {
		if (*kv->value && !topo_lab_name_valid(kv->value, TOPO_NAME_MAX))
			topo_error(
				t, kv->line,
				"invalid netns-prefix '%s': use up to %d of A-Z, a-z, 0-9, '-', '_' and '.', starting with a letter or digit",
				kv->value, TOPO_NAME_MAX);
		else
			t->prefix = util_xstrdup(kv->value);
	}
	if ((kv = sec_get(s, "description")))
		t->description = util_xstrdup(kv->value);
	if ((kv = sec_get(s, "shared"))) {
		if (!*kv->value)
			topo_error(t, kv->line, "[lab] shared: a directory was expected");
		else
			t->shared = util_xstrdup(kv->value);
		t->shared_line = kv->line;
	}
	lab_size(t, s, "layers-size", &t->layers_mib);
	lab_size(t, s, "logs-size", &t->logs_mib);
	report_unused(t, s, "name, netns-prefix, description, shared, layers-size or logs-size");
}

/* "none", "one" or "more": how many words a list that wants two has. */
static const char *count_word(size_t n)
{
	if (n == 0)
		return "none";
	return n == 1 ? "one" : "more";
}

static void build_endpoint(struct topo *t, struct topo_end *e, char *word, int line)
{
	char *colon = strchr(word, ':');

	if (!colon || colon == word || !colon[1]) {
		topo_error(t, line, "endpoint '%s' is not NODE:IFNAME", word);
		return;
	}
	*colon = '\0';
	if (!topo_node_find(t, word)) {
		topo_error(t, line, "endpoint '%s:%s' names an unknown node '%s'", word, colon + 1,
			   word);
		return;
	}
	if (!topo_name_valid(colon + 1, TOPO_IFNAMSIZ - 1)) {
		if (strlen(colon + 1) >= TOPO_IFNAMSIZ)
			topo_error(t, line, "interface name '%s' is longer than %d bytes",
				   colon + 1, TOPO_IFNAMSIZ - 1);
		else
			topo_error(
				t, line,
				"invalid interface name '%s': use a-z, 0-9, '-' and '_', starting with a letter or digit",
				colon + 1);
		return;
	}
	if (topo_node_find(t, word)->kind == TOPO_LAN) {
		topo_error(
			t, line,
			"endpoint '%s:%s': %s is a [lan]: list the members in its endpoints instead",
			word, colon + 1, word);
		return;
	}
	e->node_name = util_xstrdup(word);
	e->node = (size_t)(topo_node_find(t, word) - t->nodes);
	e->resolved = true;
	strcpy(e->ifname, colon + 1);
}

/* Reads KEY and KEY.NODE impairment keys of a [link] or [lan] section: KEY into *all, KEY.NODE into
 * the struct that end_imp(NODE) returns (NULL: NODE is not an end, reported). */
static void
build_impair(struct topo *t, struct ini_sec *s, struct topo_impair *all,
	     struct topo_impair *(*end_imp)(struct topo *t, void *ctx, const char *node), void *ctx)
{
	for (size_t i = 0; i < s->n_kv; i++) {
		struct ini_kv *kv = &s->kv[i];
		_cleanup_free_ char *key = util_xstrdup(kv->key);
		char *dot = strchr(key, '.');
		struct topo_impair *imp = all;
		int f, r;

		if (dot)
			*dot = '\0';
		if ((f = topo_impair_field(key)) < 0)
			continue; /* not an impairment key */
		kv->used = true;
		if (dot && !(imp = end_imp(t, ctx, dot + 1))) {
			topo_error(t, kv->line, "[%s] %s: '%s' is not an end of this %s", s->raw,
				   kv->key, dot + 1, s->type);
			continue;
		}
		r = topo_impair_set(imp, key, kv->value);
		if (r == -ERANGE)
			topo_error(t, kv->line, "[%s] %s: '%s' is out of range", s->raw, kv->key,
				   kv->value);
		else if (r < 0)
			topo_error(t, kv->line, "[%s] %s: '%s' is not a %s", s->raw, kv->key,
				   kv->value, topo_unit_example(topo_impair_info[f].unit));
		else
			imp->line = kv->line;
	}
}

static struct topo_impair *link_end_imp(struct topo *t, void *ctx, const char *node)
{
	struct topo_link *l = &t->links[(size_t)(uintptr_t)ctx];

	for (int j = 0; j < 2; j++)
		if (l->ends[j].resolved && strcmp(l->ends[j].node_name, node) == 0)
			return &l->ends[j].imp;
	return NULL;
}

static void build_mtu(struct topo *t, struct ini_sec *s, unsigned int *mtu)
{
	struct ini_kv *kv = sec_get(s, "mtu");
	unsigned long v;
	int r;

	if (!kv)
		return;
	r = topo_parse_uint(kv->value, 68, 65535, &v);
	if (r == -EINVAL)
		topo_error(t, kv->line, "[%s] mtu: '%s' is not a number", s->raw, kv->value);
	else if (r < 0)
		topo_error(t, kv->line, "[%s] mtu: %s is out of range (68 to 65535)", s->raw,
			   kv->value);
	else
		*mtu = (unsigned int)v;
}

static void build_link(struct topo *t, struct ini_sec *s)
{
	struct topo_link *l = util_grow(&t->links, &t->n_links, sizeof(*l));
	struct ini_kv *kv;

	l->name = util_xstrdup(s->arg);
	l->line = s->line;
	if ((kv = sec_get(s, "endpoints"))) {
		_cleanup_free_ char *copy = util_xstrdup(kv->value);
		char *w[2];
		size_t n = (size_t)util_split_words(copy, " \t,", 0, w, 2);

		if (n != 2)
			topo_error(
				t, kv->line,
				"[link %s] endpoints: expected exactly two NODE:IFNAME, found %s",
				l->name, count_word(n));
		else
			for (int i = 0; i < 2; i++)
				build_endpoint(t, &l->ends[i], w[i], kv->line);
	} else {
		topo_error(t, s->line, "[link %s] has no 'endpoints'", l->name);
	}
	build_mtu(t, s, &l->mtu);
	build_impair(t, s, &l->imp, link_end_imp, (void *)(uintptr_t)(l - t->links));
	l = &t->links[t->n_links - 1];
	for (size_t i = 0; i < s->n_kv; i++) {
		struct ini_kv *m = &s->kv[i];
		struct topo_end *e = NULL;

		if (strncmp(m->key, "mac.", 4) != 0)
			continue;
		kv_take(s, m);
		for (int j = 0; j < 2; j++)
			if (l->ends[j].resolved && strcmp(l->ends[j].node_name, m->key + 4) == 0)
				e = &l->ends[j];
		if (!e) {
			topo_error(t, m->line, "[link %s] %s: '%s' is not an end of this link",
				   l->name, m->key, m->key + 4);
			continue;
		}
		if (topo_mac_parse(m->value, e->mac) < 0) {
			topo_error(t, m->line,
				   "[link %s] %s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)",
				   l->name, m->key, m->value);
			continue;
		}
		if (e->mac[0] & 1)
			topo_error(t, m->line, "[link %s] %s: '%s' is a multicast address", l->name,
				   m->key, m->value);
		else if (!(e->mac[0] | e->mac[1] | e->mac[2] | e->mac[3] | e->mac[4] | e->mac[5]))
			topo_error(t, m->line,
				   "[link %s] %s: the all-zero MAC address is not allowed", l->name,
				   m->key);
		e->has_mac = true;
		e->mac_line = m->line;
	}
	report_unused(t, s, "endpoints, mtu, mac.NODE, or %s (and KEY.NODE)", topo_impair_key_list);
}

struct lan_ctx {
	size_t first_link, n_members;
	struct topo_impair *member_imp;
};

static struct topo_impair *lan_member_imp(struct topo *t, void *ctx, const char *node)
{
	struct lan_ctx *c = ctx;

	/* The first member on NODE; a node's other interfaces in the LAN get its values too. */
	for (size_t i = 0; i < c->n_members; i++)
		if (t->links[c->first_link + i].ends[0].resolved &&
		    strcmp(t->links[c->first_link + i].ends[0].node_name, node) == 0)
			return &c->member_imp[i];
	return NULL;
}

#define LAN_MAX_MEMBERS 9999
/* A few bytes of range stand for thousands of links (about 1 KiB of memory each): no range may take
 * a file past this many links, so that a small file cannot make validate take the machine's
 * memory (docs/topology.md). */
#define LAN_RANGE_LINKS_MAX 50000

/* A member of [lan name] written with a range, PREFIX[A-B]SUFFIX (h[1-1000]:eth0): appends the
 * words it stands for to *v (numbers as wide as A when A starts with 0: h[01-10]). A word without
 * '[' stands for itself. Returns false after reporting a malformed range. */
static bool expand_member(struct topo *t, const char *lan, int line, const char *w, char ***v,
			  size_t *n)
{
	const char *open = strchr(w, '['), *close = open ? strchr(open, ']') : NULL;
	unsigned long a, b;
	char *end;
	int width;

	if (!open) {
		*(char **)util_grow(v, n, sizeof(char *)) = util_xstrdup(w);
		return true;
	}
	a = strtoul(open + 1, &end, 10);
	if (!close || !isdigit((unsigned char)open[1]) || *end != '-' ||
	    !isdigit((unsigned char)end[1]) || (b = strtoul(end + 1, &end, 10), end != close) ||
	    strchr(close + 1, '[') || strchr(close + 1, ']')) {
		topo_error(
			t, line,
			"[lan %s] endpoints: '%s' is not a member or a range such as h[1-100]:eth0",
			lan, w);
		return false;
	}
	if (a > b || b - a >= LAN_MAX_MEMBERS) {
		if (a > b)
			topo_error(
				t, line,
				"[lan %s] endpoints: the range in '%s' is empty (its first number is above its last)",
				lan, w);
		else
			topo_error(
				t, line,
				"[lan %s] endpoints: the range in '%s' is longer than %d members",
				lan, w, LAN_MAX_MEMBERS);
		return false;
	}
	if (t->n_links + *n + (b - a + 1) > LAN_RANGE_LINKS_MAX) {
		topo_error(
			t, line,
			"[lan %s] endpoints: the range in '%s' takes the file past %d links (what ranges may expand to)",
			lan, w, LAN_RANGE_LINKS_MAX);
		return false;
	}
	width = open[1] == '0' ? (int)(strchr(open, '-') - open - 1) : 0;
	for (unsigned long k = a; k <= b; k++)
		*(char **)util_grow(v, n, sizeof(char *)) =
			util_xasprintf("%.*s%0*lu%s", (int)(open - w), w, width, k, close + 1);
	return true;
}

/* [lan NAME]: a bridge node NAME, and one link per member from NODE:IF to NAME:portI. */
static void build_lan(struct topo *t, struct ini_sec *s, size_t lan_node)
{
	struct ini_kv *kv = sec_get(s, "endpoints");
	struct lan_ctx c = { .first_link = t->n_links };
	struct topo_impair all = { 0 };
	unsigned int mtu = 0;
	_cleanup_free_ char *copy = NULL;
	char **members = NULL, *save;
	size_t n_members = 0;
	bool bad = false;

	if (!kv) {
		topo_error(t, s->line, "[lan %s] has no 'endpoints'", s->arg);
		report_unused(t, s, "endpoints");
		return;
	}
	copy = util_xstrdup(kv->value);
	for (char *w = strtok_r(copy, " \t,", &save); w && n_members <= LAN_MAX_MEMBERS;
	     w = strtok_r(NULL, " \t,", &save))
		bad |= !expand_member(t, s->arg, kv->line, w, &members, &n_members);
	for (size_t m = 0; m < n_members && m < LAN_MAX_MEMBERS; m++) {
		struct topo_link *l = util_grow(&t->links, &t->n_links, sizeof(*l));

		c.n_members++;
		l->name = util_xasprintf("%s.port%zu", s->arg, c.n_members);
		l->line = kv->line;
		l->lan = true;
		build_endpoint(t, &l->ends[0], members[m], kv->line);
		l->ends[1].node_name = util_xstrdup(s->arg);
		l->ends[1].node = lan_node;
		l->ends[1].resolved = true;
		snprintf(l->ends[1].ifname, sizeof(l->ends[1].ifname), "port%zu", c.n_members);
	}
	if (n_members < 1 && !bad)
		topo_error(
			t, kv->line,
			"[lan %s] endpoints: a LAN needs at least one member (one alone makes a stub network)",
			s->arg);
	if (n_members > LAN_MAX_MEMBERS)
		topo_error(t, kv->line, "[lan %s] endpoints: more than %d members", s->arg,
			   LAN_MAX_MEMBERS);
	for (size_t m = 0; m < n_members; m++)
		free(members[m]);
	free(members);
	c.member_imp = util_xcalloc(c.n_members, sizeof(*c.member_imp));
	build_mtu(t, s, &mtu);
	build_impair(t, s, &all, lan_member_imp, &c);
	for (size_t i = 0; i < c.n_members; i++) {
		struct topo_link *l = &t->links[c.first_link + i];
		struct topo_impair *own = l->ends[0].resolved ?
						  lan_member_imp(t, &c, l->ends[0].node_name) :
						  &c.member_imp[i];

		l->mtu = mtu;
		l->imp = topo_impair_merge(&all, own);
	}
	free(c.member_imp);
	report_unused(t, s, "endpoints, mtu, or %s (and KEY.NODE)", topo_impair_key_list);
}

static void add_route(struct topo *t, struct topo_node *n, struct topo_route *r)
{
	(void)t;
	*(struct topo_route *)util_grow(&n->routes, &n->n_routes, sizeof(*r)) = *r;
}

static void build_gateway(struct topo *t, struct topo_node *n, struct ini_kv *kv, int family)
{
	struct topo_route r = { .line = kv->line, .has_via = true };

	if (topo_prefix_parse(kv->value, false, &r.via) < 0 || r.via.family != family ||
	    r.via.len != topo_prefix_maxlen(family)) {
		topo_error(t, kv->line, "[node %s] %s: '%s' is not an %s address", n->name, kv->key,
			   kv->value, family == AF_INET ? "IPv4" : "IPv6");
		return;
	}
	r.dst.family = family;
	add_route(t, n, &r);
}

/* "PREFIX via ADDR [dev IF]" or "PREFIX dev IF"; PREFIX may be "default". */
static void build_route(struct topo *t, struct topo_node *n, char *item, int line)
{
	struct topo_route r = { .line = line };
	char *w[6];
	size_t nw = (size_t)util_split_words(item, " \t", 0, w, 5);
	bool is_default;
	size_t i;

	if (nw < 3 || nw > 5 || nw == 4) {
		topo_error(
			t, line,
			"[node %s] routes: '%s' is not 'PREFIX via ADDRESS' or 'PREFIX dev IFNAME'",
			n->name, nw ? w[0] : "");
		return;
	}
	is_default = strcmp(w[0], "default") == 0;
	for (i = 1; i + 1 < nw + 1 && i < nw; i += 2) {
		if (strcmp(w[i], "via") == 0 && !r.has_via) {
			if (topo_prefix_parse(w[i + 1], false, &r.via) < 0 ||
			    r.via.len != topo_prefix_maxlen(r.via.family)) {
				topo_error(t, line,
					   "[node %s] routes: next hop '%s' is not an address",
					   n->name, w[i + 1]);
				return;
			}
			r.has_via = true;
		} else if (strcmp(w[i], "dev") == 0 && !r.dev[0]) {
			if (strlen(w[i + 1]) >= TOPO_IFNAMSIZ ||
			    !topo_name_valid(w[i + 1], TOPO_IFNAMSIZ - 1)) {
				topo_error(t, line,
					   "[node %s] routes: '%s' is not a valid interface name",
					   n->name, w[i + 1]);
				return;
			}
			strcpy(r.dev, w[i + 1]);
		} else {
			topo_error(
				t, line,
				"[node %s] routes: unexpected '%s' in route to %s (expected 'via ADDRESS' or 'dev IFNAME')",
				n->name, w[i], w[0]);
			return;
		}
	}
	if (is_default) {
		if (!r.has_via) {
			topo_error(
				t, line,
				"[node %s] routes: 'default dev' needs an address family: write 0.0.0.0/0 or ::/0",
				n->name);
			return;
		}
		r.dst.family = r.via.family;
	} else if (topo_prefix_parse(w[0], true, &r.dst) < 0) {
		topo_error(t, line, "[node %s] routes: '%s' is not a PREFIX/LEN", n->name, w[0]);
		return;
	} else if (topo_prefix_has_host_bits(&r.dst)) {
		topo_error(t, line,
			   "[node %s] routes: '%s' has host bits set beyond its prefix length",
			   n->name, w[0]);
		return;
	}
	if (r.has_via && r.via.family != r.dst.family) {
		topo_error(t, line,
			   "[node %s] routes: next hop '%s' is not of the same family as '%s'",
			   n->name, w[2], w[0]);
		return;
	}
	add_route(t, n, &r);
}

/* Like strsep(stringp, ","), but returns NULL at the end of an empty string so that "" is an
 * empty list while "a,,b" has an empty item. */
static char *next_item(char **stringp)
{
	return *stringp && **stringp ? strsep(stringp, ",") : NULL;
}

static void build_routes(struct topo *t, struct topo_node *n, struct ini_kv *kv)
{
	_cleanup_free_ char *copy = util_xstrdup(kv->value);
	char *rest = copy;

	for (char *item; (item = next_item(&rest));) {
		_cleanup_free_ char *one = util_xstrdup(item);

		if (!*util_trim(one) || (rest && !*rest)) {
			topo_error(t, kv->line, "[node %s] routes: empty item in the list",
				   n->name);
			continue;
		}
		build_route(t, n, one, kv->line);
	}
}

static void build_addrs(struct topo *t, struct topo_node *n, struct topo_iface *ifc,
			struct ini_kv *kv)
{
	_cleanup_free_ char *copy = util_xstrdup(kv->value);
	char *rest = copy;

	ifc->line = kv->line;
	for (char *item; (item = next_item(&rest));) {
		struct topo_addr a = { .line = kv->line };
		char *s = util_trim(item);

		if (!*s || (rest && !*rest)) {
			topo_error(t, kv->line, "[node %s] %s: empty item in the address list",
				   n->name, ifc->name);
			continue;
		}
		if (topo_prefix_parse(s, true, &a.p) < 0) {
			topo_error(t, kv->line, "[node %s] %s: '%s' is not an ADDRESS/PREFIXLEN",
				   n->name, ifc->name, s);
			continue;
		}
		*(struct topo_addr *)util_grow(&ifc->addrs, &ifc->n_addrs, sizeof(a)) = a;
	}
}

static void build_sysctl(struct topo *t, struct topo_node *n, struct ini_kv *kv)
{
	const char *key = kv->key + strlen("sysctl.");
	struct topo_sysctl *sc;

	if (strncmp(key, "net.", 4) != 0 || strstr(key, "..") || key[strlen(key) - 1] == '.') {
		topo_error(t, kv->line,
			   "[node %s] %s: only sysctls under net.* can be set per node", n->name,
			   kv->key);
		return;
	}
	if (!*kv->value || strpbrk(kv->value, "\n\r/")) {
		topo_error(t, kv->line, "[node %s] %s: invalid value '%s'", n->name, kv->key,
			   kv->value);
		return;
	}
	sc = util_grow(&n->sysctls, &n->n_sysctls, sizeof(*sc));
	sc->key = util_xstrdup(key);
	sc->value = util_xstrdup(kv->value);
	sc->line = kv->line;
}

/* vlan.IF = N (access port) or trunk.IF = N,N,... (tagged), on a switch. */
static void build_vlan(struct topo *t, struct topo_node *n, struct ini_kv *kv)
{
	bool trunk = kv->key[0] == 't';
	const char *ifname = strchr(kv->key, '.') + 1;
	struct topo_iface *ifc = topo_iface_find(n, ifname);
	_cleanup_free_ char *copy = util_xstrdup(kv->value);
	char *rest = copy, *item;

	if (n->kind != TOPO_SWITCH) {
		topo_error(t, kv->line,
			   "[node %s] %s: VLANs are set on switch ports (kind = switch)", n->name,
			   kv->key);
		return;
	}
	if (!ifc) {
		topo_error(t, kv->line, "[node %s] %s: node %s has no interface '%s'", n->name,
			   kv->key, n->name, ifname);
		return;
	}
	if (ifc->vlan_line) {
		topo_error(t, kv->line,
			   "[node %s] %s: port %s already has a VLAN setting (line %d)", n->name,
			   kv->key, ifname, ifc->vlan_line);
		return;
	}
	ifc->vlan_line = kv->line;
	while ((item = next_item(&rest))) {
		unsigned long v;

		item = util_trim(item);
		if (topo_parse_uint(item, 1, 4094, &v) < 0) {
			topo_error(t, kv->line, "[node %s] %s: '%s' is not a VLAN id (1 to 4094)",
				   n->name, kv->key, item);
			return;
		}
		if (!trunk && ifc->vlan) {
			topo_error(
				t, kv->line,
				"[node %s] %s: an access port has one VLAN (use trunk.%s for several)",
				n->name, kv->key, ifname);
			return;
		}
		if (trunk)
			*(unsigned short *)util_grow(&ifc->trunk, &ifc->n_trunk,
						     sizeof(unsigned short)) = (unsigned short)v;
		else
			ifc->vlan = (unsigned int)v;
	}
	if (!ifc->vlan && !ifc->n_trunk)
		topo_error(t, kv->line, "[node %s] %s: no VLAN given", n->name, kv->key);
}

/* exec, exec.N (by N), startup = PATH, then daemon, daemon.N. */
static void build_cmds(struct topo *t, struct topo_node *n, struct ini_sec *s)
{
	static const char *const kinds[] = { "exec", "daemon" };

	for (int k = 0; k < 2; k++) {
		size_t klen = strlen(kinds[k]);
		struct topo_cmd **v = k ? &n->daemons : &n->execs;
		size_t *nv = k ? &n->n_daemons : &n->n_execs;
		/* collect (N, kv) pairs; plain "exec" is N = 0 */
		struct {
			unsigned long n;
			struct ini_kv *kv;
		} *items = NULL;
		size_t n_items = 0;

		for (size_t i = 0; i < s->n_kv; i++) {
			struct ini_kv *kv = &s->kv[i];
			unsigned long num = 0;

			if (strncmp(kv->key, kinds[k], klen) != 0 ||
			    (kv->key[klen] && kv->key[klen] != '.'))
				continue;
			kv_take(s, kv);
			if (kv->key[klen] == '.' &&
			    topo_parse_uint(kv->key + klen + 1, 1, 9999, &num) < 0) {
				topo_error(t, kv->line,
					   "[node %s] %s: the number after '%s.' must be 1 to 9999",
					   n->name, kv->key, kinds[k]);
				continue;
			}
			if (!*kv->value) {
				topo_error(t, kv->line, "[node %s] %s: empty command", n->name,
					   kv->key);
				continue;
			}
			items = util_xrealloc(items, (n_items + 1) * sizeof(*items));
			items[n_items].n = num;
			items[n_items++].kv = kv;
		}
		for (size_t a = 1; a < n_items; a++) /* insertion sort by N: lists are short */
			for (size_t b = a; b > 0 && items[b - 1].n > items[b].n; b--) {
				__typeof__(*items) tmp = items[b];

				items[b] = items[b - 1];
				items[b - 1] = tmp;
			}
		for (size_t i = 0; i < n_items; i++) {
			struct topo_cmd *c = util_grow(v, nv, sizeof(**v));

			c->text = util_xstrdup(items[i].kv->value);
			c->line = items[i].kv->line;
		}
		free(items);
		if (k == 0) {
			struct ini_kv *kv = sec_get(s, "startup");

			if (kv) {
				struct topo_cmd *c = util_grow(v, nv, sizeof(**v));

				c->text = util_xstrdup(kv->value);
				c->script = true;
				c->line = kv->line;
			}
		}
	}
}

static void build_node(struct topo *t, struct topo_node *n, struct ini_sec *s)
{
	struct ini_kv *kv;

	if ((kv = sec_get(s, "kind"))) {
		if (strcmp(kv->value, "host") == 0)
			n->kind = TOPO_HOST;
		else if (strcmp(kv->value, "router") == 0)
			n->kind = TOPO_ROUTER;
		else if (strcmp(kv->value, "switch") == 0)
			n->kind = TOPO_SWITCH;
		else
			topo_error(
				t, kv->line,
				"[node %s] kind: unknown kind '%s' (expected host, router or switch)",
				n->name, kv->value);
	}
	if ((kv = sec_get(s, "stp"))) {
		if (strcmp(kv->value, "on") && strcmp(kv->value, "off"))
			topo_error(t, kv->line, "[node %s] stp: '%s' is not on or off", n->name,
				   kv->value);
		else if (n->kind != TOPO_SWITCH)
			topo_error(t, kv->line,
				   "[node %s] stp: only a switch (kind = switch) runs STP",
				   n->name);
		n->stp = strcmp(kv->value, "on") == 0;
	}
	if ((kv = sec_get(s, "files"))) {
		n->files = util_xstrdup(kv->value);
		n->files_line = kv->line;
	}
	if ((kv = sec_get(s, "frr"))) {
		n->frr = util_xstrdup(kv->value);
		n->frr_line = kv->line;
	}
	if ((kv = sec_get(s, "bird"))) {
		n->bird = util_xstrdup(kv->value);
		n->bird_line = kv->line;
	}
	if ((kv = sec_get(s, "image")) && strcmp(kv->value, "none") != 0) { /* none: no image */
		if (!topo_lab_name_valid(kv->value, TOPO_NAME_MAX))
			topo_error(
				t, kv->line,
				"[node %s] image: '%s' is no image name: 1 to %d of A-Z, a-z, 0-9, '-', '_' and '.', starting with a letter or digit",
				n->name, kv->value, TOPO_NAME_MAX);
		else
			n->image = util_xstrdup(kv->value);
		n->image_line = kv->line;
	}
	if ((kv = sec_get(s, "memory")) &&
	    topo_parse_size_mib(kv->value, TOPO_MEMORY_MIN_MIB, TOPO_MEMORY_MAX_MIB,
				&n->memory_mib) < 0)
		topo_error(
			t, kv->line,
			"[node %s] memory: '%s' is not a size from %d MiB to %d GiB ('256M', '2G')",
			n->name, kv->value, TOPO_MEMORY_MIN_MIB, TOPO_MEMORY_MAX_MIB / 1024);
	if ((kv = sec_get(s, "cpus")) && topo_parse_cpus(kv->value, &n->cpus_centi) < 0)
		topo_error(
			t, kv->line,
			"[node %s] cpus: '%s' is not a number of CPUs above 0 and at most %d, with at most two decimals ('0.5', '2')",
			n->name, kv->value, TOPO_CPUS_MAX);
	if ((n->memory_mib || n->cpus_centi) && n->kind == TOPO_SWITCH)
		topo_error(t, n->line, "[node %s] memory, cpus: a switch runs no process to limit",
			   n->name);
	if ((n->frr || n->bird) && (n->kind == TOPO_SWITCH))
		topo_error(t, n->frr ? n->frr_line : n->bird_line,
			   "[node %s] a switch runs no routing daemon", n->name);
	build_cmds(t, n, s);
	if ((kv = sec_get(s, "hostname"))) {
		if (!topo_hostname_valid(kv->value))
			topo_error(t, kv->line, "[node %s] hostname: '%s' is not a valid host name",
				   n->name, kv->value);
		else {
			free(n->hostname);
			n->hostname = util_xstrdup(kv->value);
		}
	}
	if ((kv = sec_get(s, "gateway")))
		build_gateway(t, n, kv, AF_INET);
	if ((kv = sec_get(s, "gateway6")))
		build_gateway(t, n, kv, AF_INET6);
	if ((kv = sec_get(s, "routes")))
		build_routes(t, n, kv);
	for (size_t i = 0; i < s->n_kv; i++) {
		struct topo_iface *ifc;

		kv = &s->kv[i];
		if (kv->used)
			continue;
		if (strncmp(kv->key, "sysctl.", 7) == 0) {
			kv_take(s, kv);
			build_sysctl(t, n, kv);
			continue;
		}
		if (strncmp(kv->key, "vlan.", 5) == 0 || strncmp(kv->key, "trunk.", 6) == 0) {
			kv_take(s, kv);
			build_vlan(t, n, kv);
			continue;
		}
		ifc = topo_iface_find(n, kv->key);
		if (!ifc)
			continue;
		kv->used = true;
		build_addrs(t, n, ifc, kv);
	}
	for (size_t i = 0; i < s->n_kv; i++)
		if (!s->kv[i].used)
			topo_error(
				t, s->kv[i].line,
				"unknown key '%s' in [node %s]: not a keyword and no link ends at %s:%s",
				s->kv[i].key, n->name, n->name, s->kv[i].key);
}

/* A link end, in the order attach_ifaces sorts them to find two ends naming one interface. */
struct end_ref {
	size_t node, link;
	int e;
	const char *ifname;
	size_t first; /* for a twin: the link whose end came first; else SIZE_MAX */
};

static int end_ref_cmp(const void *a, const void *b)
{
	const struct end_ref *x = a, *y = b;
	int c = x->node < y->node ? -1 : x->node > y->node;

	if (!c)
		c = strcmp(x->ifname, y->ifname);
	if (!c)
		c = x->link < y->link ? -1 : x->link > y->link;
	return c ? c : x->e - y->e;
}

/* Gives every node an interface for each link end that names it (sorted first, so that a LAN of
 * thousands of ports costs n log n, not n^2, to check for twins). */
static void attach_ifaces(struct topo *t)
{
	_cleanup_free_ struct end_ref *refs = util_xcalloc(2 * t->n_links + 1, sizeof(*refs));
	_cleanup_free_ size_t *twin = util_xcalloc(2 * t->n_links + 1, sizeof(*twin));
	size_t n = 0;

	for (size_t i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++)
			if (t->links[i].ends[e].resolved)
				refs[n++] =
					(struct end_ref){ .node = t->links[i].ends[e].node,
							  .link = i,
							  .e = e,
							  .ifname = t->links[i].ends[e].ifname };
	qsort(refs, n, sizeof(*refs), end_ref_cmp);
	for (size_t i = 0; i < 2 * t->n_links; i++)
		twin[i] = SIZE_MAX;
	for (size_t k = 1, first = 0; k < n; k++) {
		if (refs[k].node == refs[first].node &&
		    strcmp(refs[k].ifname, refs[first].ifname) == 0)
			twin[2 * refs[k].link + (size_t)refs[k].e] = refs[first].link;
		else
			first = k;
	}
	for (size_t i = 0; i < t->n_links; i++) {
		for (int e = 0; e < 2; e++) {
			struct topo_end *end = &t->links[i].ends[e];
			size_t first = twin[2 * i + (size_t)e];
			struct topo_node *nd;
			struct topo_iface *ifc;

			if (!end->resolved)
				continue;
			nd = &t->nodes[end->node];
			if (first != SIZE_MAX) {
				topo_error(
					t, t->links[i].line,
					"interface %s:%s is used by both [link %s] and [link %s]",
					nd->name, end->ifname, t->links[first].name,
					t->links[i].name);
				end->resolved = false;
				continue;
			}
			ifc = util_grow(&nd->ifaces, &nd->n_ifaces, sizeof(*ifc));
			strcpy(ifc->name, end->ifname);
			ifc->link = i;
			ifc->end = e;
			ifc->imp = topo_impair_merge(&t->links[i].imp, &end->imp);
			end->iface = nd->n_ifaces;
		}
	}
}

/* within = DURATION, of a [test] or [defaults test] section. */
static void read_within(struct topo *t, struct ini_sec *s, bool *has, unsigned int *ms)
{
	struct ini_kv *kv = sec_get(s, "within");

	if (!kv)
		return;
	if (topo_parse_duration(kv->value, TOPO_WITHIN_MAX_MS, ms) < 0)
		topo_error(
			t, kv->line,
			"[%s] within: '%s' is not a duration from 0 to 60m (e.g. 500ms, 30s, 2m)",
			s->raw, kv->value);
	else
		*has = true;
}

/* needs = NAME...: earlier [test] sections, which must have passed for this one to be checked. */
static void read_needs(struct topo *t, struct ini_sec *s, struct topo_test *tt)
{
	struct ini_kv *kv = sec_get(s, "needs");
	_cleanup_free_ char *copy = kv ? util_xstrdup(kv->value) : NULL;
	char *save;

	for (char *w = copy ? strtok_r(copy, " \t,", &save) : NULL; w;
	     w = strtok_r(NULL, " \t,", &save)) {
		size_t k = 0;

		while (k + 1 < t->n_tests && strcmp(t->tests[k].name, w) != 0)
			k++;
		if (k + 1 >= t->n_tests)
			topo_error(
				t, kv->line,
				"[test %s] needs '%s': no earlier [test %s] section (sections are checked in file order)",
				tt->name, w, w);
		else
			*(size_t *)util_grow(&tt->needs, &tt->n_needs, sizeof(size_t)) = k;
	}
}

/* points = N: what a [test] section is worth when all its assertions hold (netlab grade). */
static void read_points(struct topo *t, struct ini_sec *s, struct topo_test *tt)
{
	struct ini_kv *kv = sec_get(s, "points");
	unsigned long n;

	if (!kv)
		return;
	if (topo_parse_uint(kv->value, 0, TOPO_POINTS_MAX, &n) < 0) {
		topo_error(t, kv->line, "[test %s] points: '%s' is not a number from 0 to %d",
			   s->arg, kv->value, TOPO_POINTS_MAX);
		return;
	}
	tt->has_points = true;
	tt->points = (unsigned int)n;
}

/* [test NAME]: expect = ASSERTION, ASSERTION, ... (commas inside double quotes do not split);
 * within = DURATION; needs = NAME...; points = N */
static void build_test(struct topo *t, struct ini_sec *s)
{
	struct topo_test *tt = util_grow(&t->tests, &t->n_tests, sizeof(*tt));
	struct ini_kv *kv = sec_get(s, "expect");
	_cleanup_free_ char *copy = NULL;
	char *start, *p;
	bool quoted = false;

	tt->name = util_xstrdup(s->arg);
	tt->line = s->line;
	read_within(t, s, &tt->has_within, &tt->within_ms);
	read_needs(t, s, tt);
	read_points(t, s, tt);
	if (!kv) {
		topo_error(t, s->line, "[test %s] has no 'expect'", s->arg);
		report_unused(t, s, "expect, within, needs or points");
		return;
	}
	copy = util_xstrdup(kv->value);
	for (start = p = copy;; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (*p && (*p != ',' || quoted))
			continue;
		{
			char end = *p;
			struct topo_diag why = { 0 };
			struct topo_assert a;

			*p = '\0';
			if (!*util_trim(start))
				topo_error(t, kv->line, "[test %s] expect: empty item in the list",
					   s->arg);
			else if (topo_assert_parse(util_trim(start), &a, &why) < 0)
				topo_error(t, kv->line, "[test %s] %s", s->arg, why.msgs[0]);
			else {
				a.line = kv->line;
				*(struct topo_assert *)util_grow(&tt->asserts, &tt->n_asserts,
								 sizeof(a)) = a;
			}
			topo_diag_clear(&why);
			if (!end)
				break;
			start = p + 1;
		}
	}
	if (quoted)
		topo_error(t, kv->line, "[test %s] expect: unterminated \" quote", s->arg);
	report_unused(t, s, "expect, within, needs or points");
}

/* [defaults test]: within = DURATION for every [test] section without its own. */
static void build_test_defaults(struct topo *t, struct ini_sec *s)
{
	read_within(t, s, &t->has_test_within, &t->test_within_ms);
	report_unused(t, s, "within");
}

/* Whether key may be given in [defaults]: what nodes share, never their interfaces. */
static bool default_key_ok(const char *key)
{
	return topo_ini_key_listed("defaults", key);
}

/* [defaults KIND] then [defaults]: each key a node section lacks is added to it (a node's own key
 * replaces the default of that name). Switches take no defaults. */
static void apply_defaults(struct topo *t, struct ini_doc *d)
{
	struct ini_sec *any = NULL, *router = NULL, *host = NULL;

	for (size_t i = 0; i < d->n_secs; i++) {
		struct ini_sec *s = &d->secs[i];

		if (strcmp(s->type, "defaults") != 0 || strcmp(s->arg, "test") == 0)
			continue;
		if (!*s->arg)
			any = s;
		else if (strcmp(s->arg, "router") == 0)
			router = s;
		else
			host = s;
		for (size_t k = 0; k < s->n_kv; k++) {
			s->kv[k].used = true;
			if (!default_key_ok(s->kv[k].key))
				topo_error(
					t, s->kv[k].line,
					"unknown key '%s' in [%s] (expected files, frr, bird, exec, exec.N, startup, daemon, daemon.N or sysctl.KEY)",
					s->kv[k].key, s->raw);
		}
	}
	for (size_t i = 0; i < d->n_secs; i++) {
		struct ini_sec *s = &d->secs[i];
		struct ini_sec *from[2] = { NULL, any };
		const struct ini_kv *kind_kv = strcmp(s->type, "node") == 0 ? sec_find(s, "kind") :
									      NULL;
		const char *kind = kind_kv ? kind_kv->value : "host";

		if (strcmp(s->type, "node") != 0)
			continue;
		if (strcmp(kind, "switch") == 0)
			continue;
		from[0] = strcmp(kind, "router") == 0 ? router : host;
		for (int f = 0; f < 2; f++)
			for (size_t k = 0; from[f] && k < from[f]->n_kv; k++) {
				const struct ini_kv *dk = &from[f]->kv[k];
				struct ini_kv *kv;

				if (!default_key_ok(dk->key) || sec_find(s, dk->key))
					continue;
				kv = util_grow(&s->kv, &s->n_kv, sizeof(*kv));
				kv->key = util_xstrdup(dk->key);
				kv->value = util_xstrdup(dk->value);
				kv->line = dk->line;
			}
	}
}

static void ini_build(struct topo *t, struct ini_doc *d, const struct topo_naming *naming)
{
	struct ini_sec *lab = NULL;

	for (size_t i = 0; i < d->n_secs; i++) {
		struct ini_sec *s = &d->secs[i];

		if (strcmp(s->type, "lab") == 0) {
			lab = s;
		} else if (strcmp(s->type, "node") == 0) {
			struct topo_node *n = util_grow(&t->nodes, &t->n_nodes, sizeof(*n));

			n->name = util_xstrdup(s->arg);
			n->hostname = util_xstrdup(s->arg);
			n->line = s->line;
		}
	}
	topo_index_nodes(t);
	for (size_t i = 0; i < d->n_secs; i++) {
		struct ini_sec *s = &d->secs[i];
		struct topo_node *n;

		if (strcmp(s->type, "lan") != 0)
			continue;
		if ((n = topo_node_find(t, s->arg))) {
			topo_error(
				t, s->line,
				"[lan %s] has the name of [node %s] (line %d): nodes and LANs share one set of names",
				s->arg, s->arg, n->line);
			continue;
		}
		n = util_grow(&t->nodes, &t->n_nodes, sizeof(*n));
		n->name = util_xstrdup(s->arg);
		n->hostname = util_xstrdup(s->arg);
		n->kind = TOPO_LAN;
		n->line = s->line;
	}
	topo_index_nodes(t);
	if (lab)
		build_lab(t, lab);
	else
		topo_error(t, 0, "no [lab] section");
	if (naming && naming->name) {
		free(t->name);
		t->name = util_xstrdup(naming->name);
		free(t->prefix);
		t->prefix = NULL;
	}
	if (naming && naming->prefix) {
		free(t->prefix);
		t->prefix = util_xstrdup(naming->prefix);
	}
	if (!t->prefix && t->name)
		t->prefix = util_xasprintf("%s-", t->name);
	for (size_t i = 0; i < t->n_nodes; i++)
		t->nodes[i].netns =
			util_xasprintf("%s%s", t->prefix ? t->prefix : "", t->nodes[i].name);
	for (size_t i = 0; i < d->n_secs; i++)
		if (strcmp(d->secs[i].type, "link") == 0)
			build_link(t, &d->secs[i]);
	for (size_t i = 0; i < d->n_secs; i++) {
		struct topo_node *lan = strcmp(d->secs[i].type, "lan") == 0 ?
						topo_node_find(t, d->secs[i].arg) :
						NULL;

		if (lan && lan->kind == TOPO_LAN && lan->line == d->secs[i].line)
			build_lan(t, &d->secs[i], (size_t)(lan - t->nodes));
	}
	attach_ifaces(t);
	apply_defaults(t, d);
	for (size_t i = 0, k = 0; i < d->n_secs; i++)
		if (strcmp(d->secs[i].type, "node") == 0)
			build_node(t, &t->nodes[k++], &d->secs[i]);
	for (size_t i = 0; i < d->n_secs; i++)
		if (strcmp(d->secs[i].type, "test") == 0)
			build_test(t, &d->secs[i]);
		else if (strcmp(d->secs[i].type, "defaults") == 0 &&
			 strcmp(d->secs[i].arg, "test") == 0)
			build_test_defaults(t, &d->secs[i]);
	if (t->n_nodes == 0 && t->diag.n == 0)
		topo_error(t, 0, "the lab has no [node NAME] section");
}

/* Reads file into doc: scanned, and cross-checked with iniparser when the scan was clean; problems
 * into t->diag. Returns 1 (doc usable), 0 (a NUL byte: nothing scanned), or -errno when the file
 * cannot be read. Sets t->base_dir. */
static int read_doc(struct topo *t, const char *file, struct ini_doc *doc)
{
	_cleanup_free_ char *text = NULL; /* a copy for the scan, which cuts it into strings */
	size_t len, lines = 1;
	int r;

	r = util_read_file(file, &t->text, &t->text_len);
	if (r < 0)
		return r;
	len = t->text_len;
	text = memcpy(util_xrealloc(NULL, len + 1), t->text, len + 1);
	if (memchr(text, '\0', len)) {
		int line = 1;

		for (const char *p = text; p < text + len && *p; p++)
			line += *p == '\n';
		topo_error(t, line, "the file contains a NUL byte");
		return 0;
	}
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if (!hcreate_r(lines * 2 + 16, &doc->seen))
		return -ENOMEM;
	{
		_cleanup_free_ char *real = realpath(file, NULL);
		char *slash = real ? strrchr(real, '/') : NULL;

		if (slash)
			*slash = '\0';
		if (!real)
			t->base_dir = util_xstrdup(".");
		else
			t->base_dir = util_xstrdup(*real ? real : "/"); /* "/x.ini": its '/' was cut
									 */
	}
	ini_scan(t, text, doc);
	/* iniparser can only agree with a clean scan; the model is built either way so that one run
	 * reports every problem. */
	if (t->diag.n == 0)
		ini_crosscheck(t, doc);
	return 1;
}

int topo_load(const char *file, struct topo **out)
{
	return topo_load_as(file, NULL, out);
}

int topo_load_as(const char *file, const struct topo_naming *naming, struct topo **out)
{
	_cleanup_topo_ struct topo *t = topo_new(file);
	struct ini_doc doc = { 0 };
	int r = read_doc(t, file, &doc);

	if (r < 0)
		return r;
	if (r > 0) {
		ini_build(t, &doc, naming);
		ini_doc_clear(&doc);
	}
	*out = steal_pointer(&t);
	return 0;
}

int topo_load_tests(const char *file, const struct topo *lab, struct topo **out)
{
	_cleanup_topo_ struct topo *t = topo_new(file);
	struct ini_doc doc = { 0 };
	int r = read_doc(t, file, &doc);

	if (r < 0)
		return r;
	for (size_t i = 0; r > 0 && i < doc.n_secs; i++) {
		struct ini_sec *s = &doc.secs[i];

		if (strcmp(s->type, "test") == 0)
			build_test(t, s);
		else if (strcmp(s->type, "defaults") == 0 && strcmp(s->arg, "test") == 0)
			build_test_defaults(t, s);
		else
			topo_error(
				t, s->line,
				"[%s] does not belong in a file of tests: only [test NAME] and [defaults test] do",
				s->raw);
	}
	if (r > 0)
		ini_doc_clear(&doc);
	if (r > 0 && t->n_tests == 0 && t->diag.n == 0)
		topo_error(t, 0, "no [test NAME] section");
	if (lab)
		topo_check_tests(t, lab);
	*out = steal_pointer(&t);
	return 0;
}

/* Whether the header line (already stripped, starting with '[') opens a [test ...] or [defaults
 * test] section. */
static bool test_header(const char *line)
{
	char type[16] = "", arg[16] = "";

	if (sscanf(line, "[ %15[a-z] %15[a-z]", type, arg) < 1)
		return false;
	return strcmp(type, "test") == 0 ||
	       (strcmp(type, "defaults") == 0 && strcmp(arg, "test") == 0);
}

/* text with (tests false) or only with (tests true) its [test ...] and [defaults test] sections. */
static char *text_part(const char *text, bool tests)
{
	struct strbuf sb = { 0 };
	bool in_tests = false;

	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *p = line;
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[')
			in_tests = test_header(p);
		if (in_tests == tests)
			strbuf_addf(&sb, "%.*s", (int)len, line);
		line += len;
	}
	return strbuf_detach(&sb);
}

char *topo_text_without_tests(const char *text)
{
	return text_part(text, false);
}

char *topo_text_tests(const char *text)
{
	return text_part(text, true);
}

/* Scans text (cut into strings) into d, for topo_text_set and topo_text_get. */
static void scan_text(struct topo *scratch, char *text, struct ini_doc *d)
{
	size_t lines = 1;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if (!hcreate_r(lines * 2 + 16, &d->seen))
		abort(); /* out of memory */
	ini_scan(scratch, text, d);
}

char *topo_text_set(const char *text, const char *type, const char *name, const char *key,
		    const char *value)
{
	_cleanup_topo_ struct topo *scratch = topo_new("-");
	_cleanup_free_ char *copy = util_xstrdup(text);
	_cleanup_strbuf_ struct strbuf out = { 0 };
	_cleanup_free_ char *kv_line =
		value ? util_xasprintf(strpbrk(value, ";#\"") || value[0] == ' ' ? "%s = \"%s\"\n" :
										   "%s = %s\n",
				       key, value) :
			NULL;
	struct ini_doc d = { 0 };
	const struct ini_sec *sec = NULL;
	const struct ini_kv *kv = NULL;
	int line = 0;

	scan_text(scratch, copy, &d);
	for (size_t i = 0; i < d.n_secs; i++)
		if (!strcmp(d.secs[i].type, type) && !strcmp(d.secs[i].arg, name))
			sec = &d.secs[i];
	for (size_t i = 0; sec && i < sec->n_kv; i++)
		if (!strcmp(sec->kv[i].key, key))
			kv = &sec->kv[i];
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

		line++;
		if (kv && line == kv->line) {
			if (kv_line)
				strbuf_addf(&out, "%s", kv_line);
		} else {
			strbuf_add(&out, p, len);
			if (!nl)
				strbuf_addf(&out, "\n");
			if (!kv && sec && line == sec->line && kv_line)
				strbuf_addf(&out, "%s", kv_line);
		}
		p += len;
	}
	if (!sec && kv_line)
		strbuf_addf(&out, "\n[%s %s]\n%s", type, name, kv_line);
	ini_doc_clear(&d);
	return strbuf_detach(&out);
}

char *topo_text_get(const char *text, const char *type, const char *name, const char *key)
{
	_cleanup_topo_ struct topo *scratch = topo_new("-");
	_cleanup_free_ char *copy = util_xstrdup(text);
	struct ini_doc d = { 0 };
	char *value = NULL;

	scan_text(scratch, copy, &d);
	for (size_t i = 0; i < d.n_secs; i++)
		if (!strcmp(d.secs[i].type, type) && !strcmp(d.secs[i].arg, name))
			for (size_t k = 0; k < d.secs[i].n_kv; k++)
				if (!strcmp(d.secs[i].kv[k].key, key)) {
					free(value);
					value = util_xstrdup(d.secs[i].kv[k].value);
				}
	ini_doc_clear(&d);
	return value;
}
