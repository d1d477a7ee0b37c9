/* import.c: `netlab import kathara DIR [-o FILE] [--name LAB] [--netns-prefix P]`: reads a
 * Kathará lab directory, has format/kathara.c convert it, writes the topology and its startup
 * scripts and FRR configurations, says what was not converted, and validates the result. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "kathara.h"
#include "routing.h"
#include "topo_ini.h"
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
			_cleanup_free_ char *ifs =
				util_xasprintf("%s/etc/network/interfaces", d->name);
			unsigned int ifs_mode;

			if ((r = read_opt(dirfd, ifs, &d->interfaces, &ifs_mode, &lab->notes)) < 0)
				return r;
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

/* An import is all or nothing, and never writes through what a lab's author planted: the scripts
 * and configurations are written into a fresh directory of its own beside the topology (mkdtemp:
 * nobody else's), the topology under an O_EXCL name; only once it validates and no signal came
 * are they renamed into place. SIGINT, SIGTERM and SIGHUP are held until then (an import reads
 * bounded files: it cannot hang), and then end it with nothing of it left. */
struct import_out {
	const char *dir; /* where the topology goes */
	int dir_fd;
	char *tmp_name; /* the fresh directory, in dir */
	int tmp_fd;
	char **names; /* the files written in it */
	size_t n_names;
	char *topo_tmp; /* the topology, under a temporary name beside its final one */
};

/* Forgets the files written in o's fresh directory, removing them first with remove. */
static void forget_files(struct import_out *o, bool remove)
{
	for (size_t i = 0; i < o->n_names; i++) {
		if (remove && o->tmp_fd >= 0)
			unlinkat(o->tmp_fd, o->names[i], 0);
		free(o->names[i]);
	}
	o->n_names = 0;
}

/* Writes the topology text under a temporary name beside file (o->topo_tmp), replacing the one an
 * earlier conversion wrote. Returns an exit status. */
static int write_topology(struct import_out *o, const char *file, const struct strbuf *out)
{
	int r;

	if (o->topo_tmp)
		unlink(o->topo_tmp);
	free(steal_pointer(&o->topo_tmp));
	if ((r = util_write_file_tmp(file, strbuf_str(out), out->len, 0644, &o->topo_tmp)) < 0)
		return cmd_fail(r, "import: cannot write '%s'", file);
	return EXIT_OK;
}

static void import_out_clear(struct import_out *o)
{
	forget_files(o, true);
	free(o->names);
	if (o->tmp_name && o->dir_fd >= 0)
		unlinkat(o->dir_fd, o->tmp_name, AT_REMOVEDIR);
	free(o->tmp_name);
	if (o->topo_tmp)
		unlink(o->topo_tmp);
	free(o->topo_tmp);
	if (o->tmp_fd >= 0)
		close(o->tmp_fd);
	if (o->dir_fd >= 0)
		close(o->dir_fd);
	*o = (struct import_out){ .dir_fd = -1, .tmp_fd = -1 };
}

static bool signal_came(void)
{
	sigset_t pending;

	return sigpending(&pending) == 0 &&
	       (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) ||
		sigismember(&pending, SIGHUP));
}

/* Writes each device's script and FRR configuration into o's fresh directory, each no more open
 * than what it was made from (a 0600 Quagga configuration with passwords stays 0600), and never
 * executable (a node's startup script is read by sh). Returns an exit status. */
static int write_aux(struct import_out *o, const struct kathara_lab *lab)
{
	forget_files(o, true); /* a conversion again: its files anew */
	for (size_t i = 0; i < lab->n_devs; i++) {
		const struct kathara_device *d = &lab->devs[i];
		const char *text[2] = { d->script, d->frr_conf },
			   *ext[2] = { "startup", "frr.conf" };
		unsigned int mode[2] = { 0644 & d->startup_mode & lab->shared_mode,
					 0644 & d->conf_mode };

		for (int k = 0; k < 2; k++) {
			_cleanup_free_ char *name = util_xasprintf("%s.%s", d->node, ext[k]);
			int r;

			if (!text[k])
				continue;
			if ((r = util_write_file_at(o->tmp_fd, name, text[k], strlen(text[k]),
						    (int)(mode[k] | 0600))) < 0)
				return cmd_fail(r, "import: cannot write '%s/%s/%s'", o->dir,
						o->tmp_name, name);
			*(char **)util_grow(&o->names, &o->n_names, sizeof(char *)) =
				steal_pointer(&name);
		}
	}
	return EXIT_OK;
}

/* Moves the files into aux (made when missing; never a symlink: what it names would be written
 * into), the topology to file. Returns an exit status. */
static int commit(struct import_out *o, const char *aux, const char *file)
{
	const char *aux_base = strrchr(aux, '/') ? strrchr(aux, '/') + 1 : aux;
	_cleanup_close_ int aux_fd = -1;

	if (o->n_names) {
		if (mkdirat(o->dir_fd, aux_base, 0755) < 0 && errno != EEXIST)
			return cmd_fail(-errno, "import: cannot make '%s'", aux);
		aux_fd = openat(o->dir_fd, aux_base,
				O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (aux_fd < 0)
			return cmd_fail(
				errno == ELOOP || errno == ENOTDIR ? -ENOTDIR : -errno,
				"import: '%s' is not a directory of its own (a symlink is never written through)",
				aux);
	}
	for (size_t i = 0; i < o->n_names; i++)
		if (renameat(o->tmp_fd, o->names[i], aux_fd, o->names[i]) < 0)
			return cmd_fail(-errno, "import: cannot move '%s' into '%s'", o->names[i],
					aux);
	if (rename(o->topo_tmp, file) < 0)
		return cmd_fail(-errno, "import: cannot write '%s'", file);
	free(steal_pointer(&o->topo_tmp));
	forget_files(o, false); /* in place now */
	return EXIT_OK;
}

/* Converts lab and writes it (o), again without what the topology refused, until it validates
 * (kathara_demote): the importer's topology always loads; what it cannot express stays in the
 * scripts, noted. Returns an exit status. */
static int convert_checked(struct import_out *o, struct kathara_lab *lab, const char *name,
			   const struct cmd_args *a, const char *lab_dir, const char *file,
			   struct strbuf *out)
{
	_cleanup_free_ char *aux_rel = util_xasprintf("%s/", o->tmp_name);
	int r, status;

	for (int round = 0;; round++) {
		_cleanup_topo_ struct topo *t = NULL;

		strbuf_release(out);
		kathara_convert(lab, name, a->netns_prefix,
				&(struct kathara_paths){ .lab_dir = lab_dir, .aux_dir = aux_rel },
				out);
		if ((status = write_aux(o, lab)) != EXIT_OK ||
		    (status = write_topology(o, file, out)) != EXIT_OK)
			return status;
		if ((r = topo_load(o->topo_tmp, &t)) < 0)
			return cmd_fail(r, "import: cannot read '%s' back", o->topo_tmp);
		topo_check(t);
		if (t->diag.n == 0)
			return EXIT_OK;
		if (round > 2 * (int)lab->n_devs + 2 ||
		    !kathara_demote(lab, strbuf_str(out), &t->diag)) {
			cmd_print_problems(file, &t->diag);
			util_log(
				"import: the topology made of '%s' does not validate (above), and nothing was written: please report it",
				lab_dir);
			return EXIT_FAIL;
		}
	}
}

/* FRR's own check (vtysh --dryrun) of each configuration the import joined from Quagga's: a line
 * FRR rejects (Quagga-only, such as `debug bgp fsm`: FRR would drop it at start, after a delay,
 * with no word) is left out, noted, and the lab converted again. Returns whether one was. */
static bool frr_refusals(struct import_out *o, struct kathara_lab *lab)
{
	bool changed = false;

	for (size_t i = 0; i < lab->n_devs; i++) {
		struct kathara_device *d = &lab->devs[i];
		_cleanup_free_ char *path = NULL, *rejected = NULL;

		if (!d->frr_conf)
			continue;
		path = util_xasprintf("%s/%s/%s.frr.conf", o->dir, o->tmp_name, d->node);
		if (routing_frr_check(path, &rejected) < 0)
			return false; /* no FRR here: its start says so */
		char *save = NULL, *tab;

		for (char *l = strtok_r(rejected, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if ((tab = strchr(l, '\t'))) {
				*tab = '\0';
				tab[1 + strcspn(tab + 1, ":")] = '\0'; /* "Unknown command" */
				changed |= kathara_frr_refuse(d, strtoul(l, NULL, 10), tab + 1);
			}
	}
	return changed;
}

int cmd_import(const struct cmd_args *a)
{
	_cleanup_free_ char *file = NULL, *aux = NULL, *aux_rel = NULL, *lab_dir = NULL,
			    *real_dir = NULL, *real_out = NULL, *out_dir = NULL, *base = NULL,
			    *name = NULL;
	_cleanup_strbuf_ struct strbuf out = { 0 };
	_cleanup_topo_ struct topo *t = NULL;
	struct kathara_lab lab = { 0 };
	struct import_out o = { .dir_fd = -1, .tmp_fd = -1 };
	_cleanup_close_ int dirfd = -1;
	sigset_t held;
	const char *dir, *hook;
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
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	sigprocmask(SIG_BLOCK, &held, NULL);
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
	if (lab.n_devs == 0) {
		kathara_lab_clear(&lab);
		return cmd_usage_error("import", "%s/lab.conf names no device: nothing to import",
				       dir);
	}
	o.dir = out_dir;
	status = EXIT_OK;
	if ((o.dir_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		status = cmd_fail(-errno, "import: cannot open '%s'", out_dir);
	if (status == EXIT_OK) {
		_cleanup_free_ char *tmpl = util_xasprintf("%s/.netlab-import.XXXXXX", out_dir);

		if (!mkdtemp(tmpl))
			status = cmd_fail(-errno, "import: cannot make a directory in '%s'",
					  out_dir);
		else if ((o.tmp_name = util_xstrdup(strrchr(tmpl, '/') + 1)),
			 (o.tmp_fd = openat(o.dir_fd, o.tmp_name,
					    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			status = cmd_fail(-errno, "import: cannot open '%s'", tmpl);
	}
	if (status == EXIT_OK)
		status = convert_checked(&o, &lab, name, a, lab_dir, file, &out);
	for (int round = 0; status == EXIT_OK && round < 3 && frr_refusals(&o, &lab); round++)
		status = convert_checked(&o, &lab, name, a, lab_dir, file, &out);
	if (status == EXIT_OK) { /* the same, naming the files where they go */
		strbuf_release(&out);
		kathara_convert(&lab, name, a->netns_prefix,
				&(struct kathara_paths){ .lab_dir = lab_dir, .aux_dir = aux_rel },
				&out);
		status = write_topology(&o, file, &out);
	}
	for (size_t i = 0; i < lab.notes.n; i++)
		fprintf(stderr, "netlab: import: %s: %s\n", dir, lab.notes.msgs[i]);
	if (lab.notes.more)
		fprintf(stderr, "netlab: import: %s: and %zu more notes\n", dir, lab.notes.more);
	if (status == EXIT_OK && (hook = util_test_hook("NETLAB_TEST_STOP_AFTER")) &&
	    strcmp(hook, "import-written") == 0) { /* a test interrupts it here */
		fprintf(stderr, "netlab: test hook: stopped after import-written\n");
		for (int i = 0; i < 6000 && !signal_came(); i++)
			usleep(10000);
	}
	if (status == EXIT_OK && signal_came()) {
		util_log("import: interrupted: nothing was written");
		status = EXIT_FAIL;
	}
	if (status == EXIT_OK)
		status = commit(&o, aux, file);
	import_out_clear(&o);
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
