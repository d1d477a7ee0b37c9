/* warnings.c: a lab's warnings, kept in its state (warnings.h). Never prints. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"
#include "warnings.h"

int warnings_add(struct state *st, const char *node, const char *text)
{
	_cleanup_free_ char *path = state_path(st, STATE_WARNINGS);
	_cleanup_strbuf_ struct strbuf line = { 0 };
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	strbuf_addf(&line, "%s\t", node);
	for (const char *p = text; *p; p++) /* one line each */
		strbuf_addf(&line, "%c", *p == '\n' || *p == '\t' ? ' ' : *p);
	strbuf_addf(&line, "\n");
	return util_write_all(fd, strbuf_str(&line), line.len);
}

int warnings_read(const char *state_dir, struct warning **v)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", state_dir, STATE_WARNINGS),
			    *text = NULL;
	char *save = NULL;
	size_t n = 0;
	int r = util_read_file(path, &text, NULL);

	*v = NULL;
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(l, '\t');
		struct warning *w;

		if (!tab)
			continue;
		*tab = '\0';
		w = util_grow(v, &n, sizeof(**v));
		w->node = util_xstrdup(l);
		w->text = util_xstrdup(tab + 1);
	}
	return (int)n;
}

void warnings_free(struct warning *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].node);
		free(v[i].text);
	}
	free(v);
}
