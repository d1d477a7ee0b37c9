/* import.c: `netlab import kathara DIR [-o FILE] [--name LAB] [--netns-prefix P]`: reads a
 * Kathará lab directory, has format/kathara.c convert it, writes the topology and its startup
 * scripts and FRR configurations, says what was not converted, and validates the result. */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "kathara.h"
#include "util.h"

/* Reads DIR/NAME into *text; a missing file leaves *text NULL. Returns 0 or -errno. */
static int read_opt(const char *dir, const char *name, char **text)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, name);
	int r = util_read_file(path, text, NULL);

	if (r == -ENOENT)
		r = 0;
	if (r < 0)
		util_log_errno(r, "import: cannot read '%s'", path);
	return r;
}

static bool is_dir(const char *path)
{
	struct stat s;

	return stat(path, &s) == 0 && S_ISDIR(s.st_mode);
}

/* Why DEVICE/ cannot be the node's files (what `up` would refuse), or NULL. */
static char *dir_problem(const char *devdir)
{
	static const char *const refused[] = { "run", "proc", "sys", "dev" };
	DIR *d = opendir(devdir);
	struct dirent *e;
	char *why = NULL;

	if (!d)
		return util_xasprintf("cannot read it: %s", strerror(errno));
	while (!why && (e = readdir(d))) {
		_cleanup_free_ char *src = util_xasprintf("%s/%s", devdir, e->d_name),
				    *dst = util_xasprintf("/%s", e->d_name);

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(refused) && !why; i++)
			if (strcmp(e->d_name, refused[i]) == 0)
				why = util_xasprintf(
					"it holds %s/, and netlab lays no files over a node's /%s",
					e->d_name, e->d_name);
		if (!why && !is_dir(src))
			why = util_xasprintf(
				"it holds the plain file '%s' at its top (netlab's files = DIR takes directories only)",
				e->d_name);
		else if (!why && !is_dir(dst))
			why = util_xasprintf(
				"it holds %s/, and this machine has no directory %s for netlab to lay it over",
				e->d_name, dst);
	}
	closedir(d);
	return why;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kathara_conf *)a)->name,
		      ((const struct kathara_conf *)b)->name);
}

/* The routing configurations in DEVICE/etc/{frr,quagga,zebra}. */
static int read_confs(const char *devdir, struct kathara_device *dev)
{
	static const char *const dirs[] = { "frr", "quagga", "zebra" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		_cleanup_free_ char *path = util_xasprintf("%s/etc/%s", devdir, dirs[i]);
		size_t first = dev->n_confs;
		DIR *d = opendir(path);
		struct dirent *e;
		int r = 0;

		if (!d)
			continue;
		while (r == 0 && (e = readdir(d))) {
			_cleanup_free_ char *file = util_xasprintf("%s/%s", path, e->d_name),
					    *text = NULL;
			struct kathara_conf *c;
			struct stat s;

			if (stat(file, &s) < 0 || !S_ISREG(s.st_mode))
				continue;
			if ((r = util_read_file(file, &text, NULL)) < 0) {
				util_log_errno(r, "import: cannot read '%s'", file);
				break;
			}
			c = util_grow(&dev->confs, &dev->n_confs, sizeof(*c));
			c->dir = util_xstrdup(dirs[i]);
			c->name = util_xstrdup(e->d_name);
			c->text = util_steal(&text);
		}
		closedir(d);
		if (r < 0)
			return r;
		qsort(dev->confs + first, dev->n_confs - first, sizeof(*dev->confs), name_cmp);
	}
	return 0;
}

static int read_lab(const char *dir, struct kathara_lab *lab)
{
	_cleanup_free_ char *conf = NULL, *shared = NULL;
	int r;

	if ((r = read_opt(dir, "lab.conf", &conf)) < 0)
		return r;
	if (!conf) {
		util_log("import: '%s' is not a Kathara lab: it has no lab.conf", dir);
		return -ENOENT;
	}
	kathara_parse_conf(conf, lab);
	if ((r = read_opt(dir, "shared.startup", &lab->shared_startup)) < 0)
		return r;
	shared = util_xasprintf("%s/shared", dir);
	lab->shared_dir = is_dir(shared);
	for (size_t i = 0; i < lab->n_devs; i++) {
		struct kathara_device *d = &lab->devs[i];
		_cleanup_free_ char *startup = util_xasprintf("%s.startup", d->name),
				    *devdir = util_xasprintf("%s/%s", dir, d->name);

		if ((r = read_opt(dir, startup, &d->startup)) < 0)
			return r;
		if ((d->has_dir = is_dir(devdir))) {
			d->dir_problem = dir_problem(devdir);
			if ((r = read_confs(devdir, d)) < 0)
				return r;
		}
	}
	return 0;
}

/* A path as a topology value: iniparser would cut it at ';' or '#'. */
static bool path_fits(const char *p)
{
	return !strpbrk(p, ";#\"'\n");
}

static int write_aux(const char *aux, const struct kathara_lab *lab)
{
	bool made = false;
	int r;

	for (size_t i = 0; i < lab->n_devs; i++) {
		const struct kathara_device *d = &lab->devs[i];
		const char *text[2] = { d->script, d->frr_conf },
			   *ext[2] = { "startup", "frr.conf" };

		for (int k = 0; k < 2; k++) {
			_cleanup_free_ char *path =
				util_xasprintf("%s/%s.%s", aux, d->node, ext[k]);

			if (!text[k])
				continue;
			if (!made && (r = util_mkdir_p(aux, 0755)) < 0)
				return cmd_fail(r, "import: cannot make '%s'", aux);
			made = true;
			if ((r = util_write_file_atomic(path, text[k], strlen(text[k]),
							k == 0 ? 0755 : 0644)) < 0)
				return cmd_fail(r, "import: cannot write '%s'", path);
		}
	}
	return EXIT_OK;
}

int cmd_import(const struct cmd_args *a)
{
	_cleanup_free_ char *file = NULL, *aux = NULL, *aux_rel = NULL, *lab_dir = NULL,
			    *real_dir = NULL, *real_out = NULL, *out_dir = NULL, *base = NULL,
			    *name = NULL;
	_cleanup_strbuf_ struct strbuf out = { 0 };
	_cleanup_topo_ struct topo *t = NULL;
	struct kathara_lab lab = { 0 };
	const char *dir;
	size_t len;
	int r, status;

	if (a->argc == 0)
		return cmd_usage_error("import",
				       "give the format (kathara) and the lab's directory");
	if (strcmp(a->argv[0], "kathara") != 0)
		return cmd_usage_error("import", "'%s' is not a format netlab imports (kathara)",
				       a->argv[0]);
	if (a->argc != 2)
		return cmd_usage_error("import", "give one lab directory");
	dir = a->argv[1];
	if (!is_dir(dir))
		return cmd_usage_error("import", "'%s' is not a directory", dir);
	file = a->output ? util_xstrdup(a->output) : util_xasprintf("%s/netlab.ini", dir);
	len = strlen(file);
	aux = util_xasprintf("%.*s.d",
			     (int)(len > 4 && strcmp(file + len - 4, ".ini") == 0 ? len - 4 : len),
			     file);
	aux_rel = util_xasprintf("%s/", basename(aux));
	base = util_xstrdup(file);
	out_dir = util_xstrdup(dirname(base));
	free(steal_pointer(&base));
	if (!(real_dir = realpath(dir, NULL)) || !(real_out = realpath(out_dir, NULL)))
		return cmd_fail(-errno, "import: cannot resolve '%s'", real_dir ? out_dir : dir);
	lab_dir = strcmp(real_dir, real_out) == 0 ? util_xstrdup("") :
						    util_xasprintf("%s/", real_dir);
	if (!path_fits(lab_dir) || !path_fits(aux_rel))
		return cmd_usage_error(
			"import",
			"'%s' cannot be named in a topology file (it holds ; # or a quote)",
			path_fits(lab_dir) ? aux_rel : lab_dir);

	base = util_xstrdup(real_dir);
	name = a->name ? util_xstrdup(a->name) : kathara_lab_name(basename(base));
	if ((r = read_lab(dir, &lab)) < 0) {
		kathara_lab_clear(&lab);
		return r == -ENOENT ? EXIT_USAGE : EXIT_FAIL;
	}
	kathara_convert(&lab, name, a->netns_prefix,
			&(struct kathara_paths){ .lab_dir = lab_dir, .aux_dir = aux_rel }, &out);
	for (size_t i = 0; i < lab.notes.n; i++)
		fprintf(stderr, "netlab: import: %s: %s\n", dir, lab.notes.msgs[i]);
	status = write_aux(aux, &lab);
	if (status == EXIT_OK &&
	    (r = util_write_file_atomic(file, strbuf_str(&out), out.len, 0644)) < 0)
		status = cmd_fail(r, "import: cannot write '%s'", file);
	if (status == EXIT_OK && (status = cmd_load_topology(file, &t)) != EXIT_OK) {
		fprintf(stderr,
			"netlab: import: the topology written to '%s' does not validate (above): please report it\n",
			file);
		status = EXIT_FAIL;
	}
	if (status == EXIT_OK)
		printf("%s: %zu nodes, %zu links and LANs from %s; %zu thing%s not converted (listed at its top)\n",
		       file, lab.n_devs, t->n_links, dir, lab.notes.n, lab.notes.n == 1 ? "" : "s");
	kathara_lab_clear(&lab);
	return status;
}
