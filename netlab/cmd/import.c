/* import.c: `netlab import kathara DIR [-o FILE] [--name LAB] [--netns-prefix P]`: reads a
 * Kathará lab directory, has format/kathara.c convert it, writes the topology and its startup
 * scripts and FRR configurations, says what was not converted, and validates the result. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "kathara.h"
#include "util.h"

/* The lab directory is read as its owner wrote it, and often by root: through one descriptor of
 * it, with openat2 refusing any symlink and any way out (util_open_beneath). What it refuses is
 * noted and not read, never followed. */

/* Reads NAME in the lab (dirfd) into *text, its permission bits into *mode; a missing file leaves
 * *text NULL; one that is a symlink or not a file is noted and left. Returns 0 or -errno. */
static int read_opt(int dirfd, const char *name, char **text, unsigned int *mode,
		    struct topo_diag *notes)
{
	int r = util_read_file_beneath(dirfd, name, text, NULL, mode);

	if (r == -ENOENT)
		return 0;
	if (r == -ELOOP || r == -EXDEV || r == -UTIL_ENOTFILE || r == -EISDIR) {
		topo_diag_add(notes, "%s not read: %s", name,
			      r == -ELOOP || r == -EXDEV ? "a symlink (or a way out of the lab)" :
							   "not a plain file");
		return 0;
	}
	if (r < 0)
		util_log_errno(r, "import: cannot read '%s'", name);
	return r;
}

/* Whether rel is a directory in the lab (no symlink on the way). */
static bool is_dir_beneath(int dirfd, const char *rel)
{
	_cleanup_close_ int fd = util_open_beneath(dirfd, rel, O_RDONLY | O_DIRECTORY);

	return fd >= 0;
}

static bool is_dir(const char *path)
{
	struct stat s;

	return stat(path, &s) == 0 && S_ISDIR(s.st_mode);
}

/* The directory rel in the lab, open for readdir, or NULL. */
static DIR *open_dir_beneath(int dirfd, const char *rel)
{
	int fd = util_open_beneath(dirfd, rel, O_RDONLY | O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (fd >= 0 && !d)
		close(fd);
	return d;
}

/* Why DEVICE/ cannot be the node's files (what `up` would refuse), or NULL. */
static char *dir_problem(int dirfd, const char *devdir)
{
	static const char *const refused[] = { "run", "proc", "sys", "dev" };
	DIR *d = open_dir_beneath(dirfd, devdir);
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
		if (!why && !is_dir_beneath(dirfd, src))
			why = util_xasprintf(
				"it holds '%s' at its top, not a directory (netlab's files = DIR takes directories only, and no symlinks)",
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
static int read_confs(int dirfd, const char *devdir, struct kathara_device *dev,
		      struct topo_diag *notes)
{
	static const char *const dirs[] = { "frr", "quagga", "zebra" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		_cleanup_free_ char *path = util_xasprintf("%s/etc/%s", devdir, dirs[i]);
		size_t first = dev->n_confs;
		DIR *d = open_dir_beneath(dirfd, path);
		struct dirent *e;
		int r = 0;

		if (!d)
			continue;
		while (r == 0 && (e = readdir(d))) {
			_cleanup_free_ char *file = util_xasprintf("%s/%s", path, e->d_name),
					    *text = NULL;
			struct kathara_conf *c;
			unsigned int mode = 0;

			if (e->d_type == DT_LNK)
				topo_diag_add(notes, "%s not read: a symlink", file);
			if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
				continue; /* directories, and symlinks: never followed */
			if ((r = read_opt(dirfd, file, &text, &mode, notes)) < 0 || !text)
				continue;
			c = util_grow(&dev->confs, &dev->n_confs, sizeof(*c));
			c->dir = util_xstrdup(dirs[i]);
			c->name = util_xstrdup(e->d_name);
			c->text = util_steal(&text);
			dev->conf_mode &= mode;
		}
		closedir(d);
		if (r < 0)
			return r;
		qsort(dev->confs + first, dev->n_confs - first, sizeof(*dev->confs), name_cmp);
	}
	return 0;
}

/* Whether a device name is one file name (its startup file's and directory's): no '/', not "."
 * or "..", so that nothing outside the lab is read through it. */
static bool device_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int read_lab(int dirfd, const char *dir, struct kathara_lab *lab)
{
	_cleanup_free_ char *conf = NULL;
	unsigned int mode;
	int r;

	if ((r = read_opt(dirfd, "lab.conf", &conf, &mode, &lab->notes)) < 0)
		return r;
	if (!conf) {
		util_log("import: '%s' is not a Kathara lab: %s", dir,
			 lab->notes.n ? lab->notes.msgs[0] : "it has no lab.conf");
		return -ENOENT;
	}
	kathara_parse_conf(conf, lab);
	lab->shared_mode = 0644;
	if ((r = read_opt(dirfd, "shared.startup", &lab->shared_startup, &lab->shared_mode,
			  &lab->notes)) < 0)
		return r;
	lab->shared_dir = is_dir_beneath(dirfd, "shared");
	for (size_t i = 0; i < lab->n_devs; i++) {
		struct kathara_device *d = &lab->devs[i];
		_cleanup_free_ char *startup = util_xasprintf("%s.startup", d->name);

		d->startup_mode = d->conf_mode = 0644;
		if (!device_name_ok(d->name)) {
			topo_diag_add(
				&lab->notes,
				"device '%s': not a file name: its startup file and directory are not read",
				d->name);
			continue;
		}
		if ((r = read_opt(dirfd, startup, &d->startup, &d->startup_mode, &lab->notes)) < 0)
			return r;
		if ((d->has_dir = is_dir_beneath(dirfd, d->name))) {
			d->dir_problem = dir_problem(dirfd, d->name);
			if ((r = read_confs(dirfd, d->name, d, &lab->notes)) < 0)
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

/* The directory for the scripts and configurations: made, or one that is there already; never a
 * symlink (what it names would be written into). Returns an exit status. */
static int make_aux(const char *aux)
{
	struct stat st;

	if (lstat(aux, &st) == 0 && !S_ISDIR(st.st_mode))
		return cmd_fail(
			-ENOTDIR,
			"import: '%s' is there and is not a directory (a symlink is never written through)",
			aux);
	if (mkdir(aux, 0755) < 0 && errno != EEXIST)
		return cmd_fail(-errno, "import: cannot make '%s'", aux);
	return EXIT_OK;
}

/* Writes each device's script and FRR configuration into aux, each no more open than what it was
 * made from (a 0600 Quagga configuration with passwords stays 0600), and never executable (a
 * node's startup script is read by sh). Returns an exit status. */
static int write_aux(const char *aux, const struct kathara_lab *lab)
{
	bool made = false;
	int r;

	for (size_t i = 0; i < lab->n_devs; i++) {
		const struct kathara_device *d = &lab->devs[i];
		const char *text[2] = { d->script, d->frr_conf },
			   *ext[2] = { "startup", "frr.conf" };
		unsigned int mode[2] = { 0644 & d->startup_mode & lab->shared_mode,
					 0644 & d->conf_mode };

		for (int k = 0; k < 2; k++) {
			_cleanup_free_ char *path =
				util_xasprintf("%s/%s.%s", aux, d->node, ext[k]);

			if (!text[k])
				continue;
			if (!made && (r = make_aux(aux)) != EXIT_OK)
				return r;
			made = true;
			if ((r = util_write_file_atomic(path, text[k], strlen(text[k]),
							(int)(mode[k] | 0600))) < 0)
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
	_cleanup_close_ int dirfd = -1;
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
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cmd_fail(-errno, "import: cannot open '%s'", dir);
	if ((r = read_lab(dirfd, dir, &lab)) < 0) {
		kathara_lab_clear(&lab);
		return r == -ENOENT ? EXIT_USAGE : EXIT_FAIL;
	}
	kathara_convert(&lab, name, a->netns_prefix,
			&(struct kathara_paths){ .lab_dir = lab_dir, .aux_dir = aux_rel }, &out);
	for (size_t i = 0; i < lab.notes.n; i++)
		fprintf(stderr, "netlab: import: %s: %s\n", dir, lab.notes.msgs[i]);
	if (lab.notes.more)
		fprintf(stderr, "netlab: import: %s: and %zu more notes\n", dir, lab.notes.more);
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
