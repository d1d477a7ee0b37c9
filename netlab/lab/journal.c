/* journal.c: the journal's records, written and read (see journal.h). Never prints. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "journal.h"
#include "strbuf.h"
#include "topo.h"
#include "util.h"

static const char *const mark_words[] = {
	[JOURNAL_NS_FS] = "ns-fs",
	[JOURNAL_NODES_FS] = "nodes-fs",
	[JOURNAL_COMPLETE] = "complete",
	[JOURNAL_UNSET] = "unset",
	[JOURNAL_APPLY_BEGIN] = "apply-begin",
	[JOURNAL_APPLY_DONE] = "apply-done",
};

/* Whether w can stand as one word of a record. */
static bool word_ok(const char *w)
{
	return w && *w && !strpbrk(w, " \n");
}

/* Appends the record sb holds (without its newline). */
static int append(struct state *st, struct strbuf *sb)
{
	strbuf_addf(sb, "\n");
	if (st->journal_fd < 0)
		return -EBADF;
	return util_write_all(st->journal_fd, strbuf_str(sb), sb->len);
}

int journal_mark(struct state *st, enum journal_mark m)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	strbuf_addf(&sb, "%s", mark_words[m]);
	return append(st, &sb);
}

int journal_netns(struct state *st, const char *name, const struct nsfs_id *id, ino_t file_ino)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	if (!word_ok(name))
		return -EINVAL;
	strbuf_addf(&sb, "netns %s %ju %jd %ld %ju", name, (uintmax_t)id->ino,
		    (intmax_t)id->time.tv_sec, (long)id->time.tv_nsec, (uintmax_t)file_ino);
	return append(st, &sb);
}

int journal_daemon(struct state *st, const char *node, pid_t pid)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	if (!word_ok(node))
		return -EINVAL;
	strbuf_addf(&sb, "daemon %s %d", node, (int)pid);
	return append(st, &sb);
}

int journal_set(struct state *st, const char *name, char *const *words, size_t n)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	if (!word_ok(name) || n == 0)
		return -EINVAL;
	strbuf_addf(&sb, "set %s", name);
	for (size_t i = 0; i < n; i++) {
		if (!word_ok(words[i]))
			return -EINVAL;
		strbuf_addf(&sb, " %s", words[i]);
	}
	return append(st, &sb);
}

int journal_gone(struct state *st, const char *netns, ino_t ino, const char *node)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	if (!word_ok(netns) || !word_ok(node))
		return -EINVAL;
	strbuf_addf(&sb, "gone %s %ju %s", netns, (uintmax_t)ino, node);
	return append(st, &sb);
}

/* A strictly decimal number from 1 up to max (no sign, no leading zero), or -1. */
static intmax_t journal_number(const char *s, uintmax_t max)
{
	unsigned long v;

	if (!s || topo_parse_uint(s, 0, max > ULONG_MAX ? ULONG_MAX : (unsigned long)max, &v) < 0)
		return -1;
	return (intmax_t)v;
}

/* "gone NETNS INO NODE": apply removed node NODE, its namespace and its daemons: they no longer
 * count. False when no such namespace was journaled. */
static bool read_gone(struct journal *j, const char *netns, ino_t ino, const char *node)
{
	size_t i = j->n_netns, kept = 0;

	for (; i > 0; i--) /* the last one journaled */
		if (strcmp(j->netns[i - 1].name, netns) == 0 && j->netns[i - 1].id.ino == ino)
			break;
	if (i-- == 0)
		return false;
	free(j->netns[i].name);
	memmove(&j->netns[i], &j->netns[i + 1], (j->n_netns - i - 1) * sizeof(*j->netns));
	j->n_netns--;
	for (size_t d = 0; d < j->n_daemons; d++) {
		if (strcmp(j->daemons[d].node, node) == 0)
			free(j->daemons[d].node);
		else
			j->daemons[kept++] = j->daemons[d];
	}
	j->n_daemons = kept;
	return true;
}

/* A record without words (journal_mark's). False for a word netlab never writes. */
static bool read_mark(struct journal *j, const char *word)
{
	size_t m = 0;

	while (m < ARRAY_SIZE(mark_words) && strcmp(word, mark_words[m]) != 0)
		m++;
	switch (m) {
	case JOURNAL_NS_FS:
		return j->ns_fs = true;
	case JOURNAL_NODES_FS:
		return j->nodes_fs = true;
	case JOURNAL_COMPLETE:
		return j->complete = true;
	case JOURNAL_APPLY_BEGIN:
		return j->applying = true;
	case JOURNAL_UNSET:
		if (j->n_sets == 0)
			return false;
		free(j->sets[--j->n_sets]); /* the last set did not take effect */
		return true;
	case JOURNAL_APPLY_DONE:
		for (size_t i = 0; i < j->n_sets; i++)
			free(j->sets[i]); /* the applied topology is in force now */
		j->n_sets = 0;
		j->applying = false;
		return true;
	}
	return false;
}

/* One journal line, checked field by field as strictly as a topology: names as a topology allows
 * them (a netns name as a lab name: no '/', no leading '.'), inodes, times and PIDs as plain
 * numbers in range. Anything else would make down act on paths or processes outside the lab.
 * Returns false for a line netlab never writes. */
static bool read_record(struct journal *j, char *line)
{
	char *w[8];
	int n = util_split_words(line, " ", 0, w, 8);
	intmax_t a, b, c, d;

	if (n < 1 || n > 6) /* none: spaces alone; 7 or more: none of netlab's records */
		return false;
	if (n == 1)
		return read_mark(j, w[0]);
	if (n == 4 && strcmp(w[0], "gone") == 0 && (a = journal_number(w[2], UINTMAX_MAX)) > 1 &&
	    topo_name_valid(w[3], TOPO_NAME_MAX))
		return read_gone(j, w[1], (ino_t)a, w[3]);
	if (strcmp(w[0], "netns") == 0 && n == 6 && topo_lab_name_valid(w[1], TOPO_NETNS_MAX) &&
	    (a = journal_number(w[2], UINTMAX_MAX)) > 1 &&
	    (b = journal_number(w[3], INTMAX_MAX)) >= 0 &&
	    (c = journal_number(w[4], 999999999)) >= 0 &&
	    (d = journal_number(w[5], UINTMAX_MAX)) > 1) {
		struct journal_netns *e = util_grow(&j->netns, &j->n_netns, sizeof(*e));

		e->name = util_xstrdup(w[1]);
		e->id.ino = (ino_t)a;
		e->id.time.tv_sec = (time_t)b;
		e->id.time.tv_nsec = (long)c;
		e->file_ino = (ino_t)d;
		return true;
	}
	if (strcmp(w[0], "daemon") == 0 && n == 3 && topo_name_valid(w[1], TOPO_NAME_MAX) &&
	    (a = journal_number(w[2], INT_MAX)) > 1) {
		struct journal_daemon *dm = util_grow(&j->daemons, &j->n_daemons, sizeof(*dm));

		dm->node = util_xstrdup(w[1]);
		dm->pid = (pid_t)a;
		return true;
	}
	return false;
}

int journal_load(const struct state *s, struct journal *j)
{
	_cleanup_free_ char *path = state_path(s, STATE_JOURNAL), *text = NULL;
	int r, lineno = 0;

	memset(j, 0, sizeof(*j));
	r = util_read_file(path, &text, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (char *line = text, *next; *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			j->n_lines++;
			/* cut short (a full file system, a kill): not a line netlab wrote */
			if (j->n_bad++ == 0)
				j->first_bad = lineno;
			break;
		}
		*next++ = '\0';
		if (!*line)
			continue;
		j->n_lines++;
		if (strncmp(line, "set ", 4) == 0) {
			*(char **)util_grow(&j->sets, &j->n_sets, sizeof(char *)) =
				util_xstrdup(line + 4);
			continue;
		}
		if (!read_record(j, line) && j->n_bad++ == 0)
			j->first_bad = lineno;
	}
	return 0;
}

void journal_clear(struct journal *j)
{
	for (size_t i = 0; i < j->n_netns; i++)
		free(j->netns[i].name);
	for (size_t i = 0; i < j->n_daemons; i++)
		free(j->daemons[i].node);
	for (size_t i = 0; i < j->n_sets; i++)
		free(j->sets[i]);
	free(j->daemons);
	free(j->sets);
	free(j->netns);
	memset(j, 0, sizeof(*j));
}
