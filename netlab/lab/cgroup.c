/* cgroup.c: nodes' memory and cpus limits in cgroup v2 (cgroup.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "rootless.h"
#include "util.h"

#define STATE_CGROUP "cgroup" /* the lab's cgroup directory, written before it is made */
#define CG_CONTROLLERS "+memory +cpu"

bool cgroup_wanted(const struct topo_node *n)
{
	return n->memory_mib || n->cpus_centi;
}

/* The mount point of cgroup v2 in this mount namespace, to be freed, or NULL. */
static char *cgroup2_mount(void)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (util_read_file("/proc/self/mountinfo", &text, NULL) < 0)
		return NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[6];

		if (strstr(line, " - cgroup2 ") && util_split_words(line, " ", 0, w, 6) >= 5)
			return util_xstrdup(w[4]);
	}
	return NULL;
}

/* This process's cgroup v2 ("0::PATH" in /proc/self/cgroup), to be freed, or NULL. */
static char *own_cgroup(void)
{
	_cleanup_free_ char *text = NULL;
	char *p;

	if (util_read_file("/proc/self/cgroup", &text, NULL) < 0)
		return NULL;
	if (strncmp(text, "0::", 3) == 0)
		p = text + 3;
	else if ((p = strstr(text, "\n0::")))
		p += 4;
	else
		return NULL;
	return util_xasprintf("%.*s", (int)strcspn(p, "\n"), p);
}

/* Whether the controllers file lists both memory and cpu. */
static bool has_controllers(const char *dir, const char *file)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, file), *text = NULL;
	char *w[16];
	int n;
	bool mem = false, cpu = false;

	if (util_read_file(path, &text, NULL) < 0)
		return false;
	n = util_split_words(text, " \n", 0, w, 16);
	for (int i = 0; i < n; i++) {
		mem |= strcmp(w[i], "memory") == 0;
		cpu |= strcmp(w[i], "cpu") == 0;
	}
	return mem && cpu;
}

static int cg_write(const char *dir, const char *file, const char *text)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return util_write_all(fd, text, strlen(text));
}

/* A directory for cgroups of the lab's, with the memory and cpu controllers for those below it. */
static int make_parent(const char *dir)
{
	int r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot make cgroup '%s'", dir);
	if ((r = cg_write(dir, "cgroup.subtree_control", CG_CONTROLLERS)) < 0)
		return log_errno(r, "cannot enable the memory and cpu controllers in cgroup '%s'",
				 dir);
	return 0;
}

/* Where netlab makes its labs' cgroups (see cgroup.h), to be freed into *base; or 1 with *why. */
static int find_base(char **base, char **why)
{
	_cleanup_free_ char *mnt = cgroup2_mount(), *own = NULL, *mine = NULL;

	if (!mnt) {
		*why = util_xstrdup("this machine has no cgroup v2 mounted");
		return 1;
	}
	if (!rootless_active()) {
		if (!has_controllers(mnt, "cgroup.subtree_control")) {
			*why = util_xasprintf(
				"the memory and cpu controllers are not enabled at the root of cgroup v2 ('%s/cgroup.subtree_control'; cgroup v1 may hold them)",
				mnt);
			return 1;
		}
		*base = util_xasprintf("%s/netlab", mnt);
		return 0;
	}
	if (!(own = own_cgroup())) {
		*why = util_xstrdup("netlab's own cgroup v2 cannot be read (/proc/self/cgroup)");
		return 1;
	}
	/* the highest cgroup above netlab's that is the user's (root inside: owned by the user) */
	for (size_t len = 0;; len += 1 + strcspn(own + len + 1, "/")) {
		_cleanup_free_ char *dir = util_xasprintf("%s%.*s", mnt, (int)len, own);
		struct stat st;

		if (stat(dir, &st) == 0 && st.st_uid == geteuid()) {
			mine = steal_pointer(&dir);
			break;
		}
		if (!own[len])
			break;
	}
	if (!mine) {
		*why = util_xasprintf(
			"netlab runs in cgroup '%s', and no cgroup above it is yours: run it where systemd delegates one to you (a systemd user session: systemd-run --user --scope netlab ...)",
			own);
		return 1;
	}
	if (!has_controllers(mine, "cgroup.subtree_control")) {
		*why = util_xasprintf(
			"your cgroup '%s' is not given the memory and cpu controllers", mine);
		return 1;
	}
	*base = util_xasprintf("%s/netlab", mine);
	return 0;
}

/* The lab's cgroup directory, as the state keeps it: 0 and *dir (to be freed), or -ENOENT. */
static int lab_dir(const char *state_dir, char **dir)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", state_dir, STATE_CGROUP);
	char *text = NULL;
	int r;

	if ((r = util_read_file(path, &text, NULL)) < 0)
		return r;
	text[strcspn(text, "\n")] = '\0';
	*dir = text;
	return 0;
}

int cgroup_node_make(struct state *st, const struct topo_node *n, char **why)
{
	_cleanup_free_ char *lab = NULL, *base = NULL, *node = NULL;
	char value[64];
	int r;

	*why = NULL;
	if (!cgroup_wanted(n))
		return 0;
	if ((r = lab_dir(st->dir, &lab)) == -ENOENT) {
		_cleanup_free_ char *path = state_path(st, STATE_CGROUP), *text = NULL;

		if ((r = find_base(&base, why)) != 0)
			return r;
		if ((r = make_parent(base)) < 0)
			return r;
		lab = util_xasprintf("%s/%s", base, st->lab);
		text = util_xasprintf("%s\n", lab);
		/* kept before it is made: down finds it from the state alone */
		if ((r = util_write_file_atomic(path, text, strlen(text), 0644)) < 0)
			return log_errno(r, "cannot write the state of lab %s", st->lab);
		if ((r = make_parent(lab)) < 0)
			return r;
	} else if (r < 0) {
		return log_errno(r, "cannot read the state of lab %s", st->lab);
	}
	node = util_xasprintf("%s/node-%s", lab, n->name);
	if (mkdir(node, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot make cgroup '%s' (node %s)", node, n->name);
	if (n->memory_mib) {
		snprintf(value, sizeof(value), "%llu", (unsigned long long)n->memory_mib << 20);
		if ((r = cg_write(node, "memory.max", value)) < 0)
			return log_errno(r, "node %s: cannot write memory.max in '%s'", n->name,
					 node);
		/* bounded by its memory, not the machine's swap (no such file without swap) */
		if ((r = cg_write(node, "memory.swap.max", "0")) < 0 && r != -ENOENT)
			return log_errno(r, "node %s: cannot write memory.swap.max in '%s'",
					 n->name, node);
	}
	if (n->cpus_centi) {
		snprintf(value, sizeof(value), "%lu 100000", n->cpus_centi * 1000);
		if ((r = cg_write(node, "cpu.max", value)) < 0)
			return log_errno(r, "node %s: cannot write cpu.max in '%s'", n->name, node);
	}
	return 0;
}

int cgroup_node_join(const char *state_dir, const struct topo_node *n)
{
	_cleanup_free_ char *lab = NULL, *node = NULL;
	int r;

	if (!cgroup_wanted(n) || lab_dir(state_dir, &lab) < 0)
		return 0; /* no limits, or not applied (up said so) */
	node = util_xasprintf("%s/node-%s", lab, n->name);
	if ((r = cg_write(node, "cgroup.procs", "0")) == -ENOENT)
		return 0;
	return r;
}

/* rmdir of a cgroup whose processes were stopped: their exit may still be under way (EBUSY). */
static int remove_cgroup(const char *dir)
{
	struct timespec wait = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 100; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&wait, NULL);
	}
	return log_errno(-errno, "cannot remove cgroup '%s'", dir);
}

int cgroup_node_remove(const char *state_dir, const char *node)
{
	_cleanup_free_ char *lab = NULL, *dir = NULL;

	if (lab_dir(state_dir, &lab) < 0)
		return 0;
	dir = util_xasprintf("%s/node-%s", lab, node);
	return remove_cgroup(dir);
}

int cgroup_lab_remove(struct state *st)
{
	_cleanup_free_ char *lab = NULL;
	struct dirent *e;
	DIR *d;
	int r = 0, q;

	if ((q = lab_dir(st->dir, &lab)) == -ENOENT)
		return 0;
	if (q < 0)
		return log_errno(q, "cannot read the state of lab %s", st->lab);
	if (!(d = opendir(lab)))
		return errno == ENOENT ? 0 : log_errno(-errno, "cannot read cgroup '%s'", lab);
	while ((e = readdir(d))) {
		_cleanup_free_ char *dir = NULL;

		if (strncmp(e->d_name, "node-", 5) != 0 || e->d_type != DT_DIR)
			continue;
		dir = util_xasprintf("%s/%s", lab, e->d_name);
		if ((q = remove_cgroup(dir)) < 0 && !r)
			r = q;
	}
	closedir(d);
	if ((q = remove_cgroup(lab)) < 0 && !r)
		r = q;
	return r;
}
