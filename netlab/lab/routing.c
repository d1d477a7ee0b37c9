/* routing.c: FRR and BIRD configuration in a node's writable layer (see routing.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "routing.h"
#include "strbuf.h"
#include "util.h"

/* "router ospf" in a configuration starts ospfd; the longer words first ("ospf6" before "ospf"). */
static const struct {
	const char *words;
	const char *daemon;
} frr_needs[] = {
	{ "router bgp", "bgpd" },
	{ "router ospf6", "ospf6d" },
	{ "router ospf", "ospfd" },
	{ "router ripng", "ripngd" },
	{ "router rip", "ripd" },
	{ "router isis", "isisd" },
	{ "router openfabric", "fabricd" },
	{ "router eigrp", "eigrpd" },
	{ "router babel", "babeld" },
	{ "ip pim", "pimd" },
	{ "mpls ldp", "ldpd" },
	{ "bfd", "bfdd" },
	{ "pbr-map", "pbrd" },
	{ "vrrp", "vrrpd" },
};

size_t routing_frr_daemons(const char *conf, const char **out)
{
	size_t n = 0;

	for (const char *line = conf; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		while (*line == ' ' || *line == '\t')
			line++;
		for (size_t i = 0; i < ARRAY_SIZE(frr_needs); i++) {
			size_t len = strlen(frr_needs[i].words);
			bool have = false;

			if (strncmp(line, frr_needs[i].words, len) != 0 ||
			    isalnum((unsigned char)line[len]))
				continue;
			for (size_t k = 0; k < n; k++)
				have |= strcmp(out[k], frr_needs[i].daemon) == 0;
			if (!have && n < ROUTING_FRR_MAX)
				out[n++] = frr_needs[i].daemon;
			break;
		}
	}
	out[n] = NULL;
	return n;
}

/* The value of NAME= in a daemons file (quotes taken off), to be freed, or NULL. */
static char *daemons_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	char *v = NULL;

	for (const char *line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p;
		size_t len;

		if (strncmp(line, name, n) != 0 || line[n] != '=')
			continue;
		p = line + n + 1;
		len = strcspn(p, "\n");
		if (len >= 2 && (p[0] == '"' || p[0] == '\'') && p[len - 1] == p[0]) {
			p++;
			len -= 2;
		}
		free(v); /* the last one counts, as in the shell */
		v = util_xasprintf("%.*s", (int)len, p);
	}
	return v;
}

char *routing_frr_start(const char *daemons_text)
{
	/* FRR's order (frrcommon.sh's DAEMONS): zebra first */
	static const char *const all[] = { "zebra",   "bgpd",  "ripd",	  "ripngd", "ospfd",
					   "ospf6d",  "isisd", "babeld",  "pimd",   "pim6d",
					   "ldpd",    "nhrpd", "eigrpd",  "sharpd", "pbrd",
					   "staticd", "bfdd",  "fabricd", "vrrpd",  "pathd" };
	_cleanup_free_ char *global = daemons_value(daemons_text, "frr_global_options"),
			    *profile = daemons_value(daemons_text, "frr_profile");
	const char *g = global ? global : "", *f = profile && *profile ? profile : "traditional";
	struct strbuf cmd = { 0 }, names = { 0 };

	strbuf_addf(&cmd, "install -d -o frr -g frr -m 0750 /var/run/frr");
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		_cleanup_free_ char *on = daemons_value(daemons_text, all[i]), *key = NULL,
				    *opts = NULL;

		if (strcmp(all[i], "zebra") != 0 && strcmp(all[i], "staticd") != 0 &&
		    !util_streq(on, "yes"))
			continue;
		key = util_xasprintf("%s_options", all[i]);
		opts = daemons_value(daemons_text, key);
		strbuf_addf(&cmd, " && /usr/lib/frr/%s -d %s -F %s %s", all[i], g, f,
			    opts ? opts : "");
		strbuf_addf(&names, " %s", all[i]);
	}
	strbuf_addf(&cmd, " && /usr/lib/frr/watchfrr -d %s -F %s%s", g, f, strbuf_str(&names));
	/* the configuration, into every daemon at once; a line FRR rejects was said already (up's
	 * own check), and Debian's scripts go on past a vtysh -b that fails too */
	strbuf_addf(&cmd, " && { " ROUTING_VTYSH " -b >/dev/null 2>&1 || true; }");
	strbuf_release(&names);
	return strbuf_detach(&cmd);
}

char *routing_frr_daemons_file(const char *text, const char *const *list)
{
	struct strbuf sb = { 0 };

	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		bool on = false;

		if (strncmp(line, "frr_global_options=", 19) == 0) { /* netlab's, below */
			line += len + (end ? 1 : 0);
			continue;
		}
		for (size_t i = 0; list[i] && !on; i++) {
			size_t dl = strlen(list[i]);

			on = len > dl && strncmp(line, list[i], dl) == 0 && line[dl] == '=';
			if (on)
				strbuf_addf(&sb, "%s=yes\n", list[i]);
		}
		if (!on)
			strbuf_addf(&sb, "%.*s\n", (int)len, line);
		line += len + (end ? 1 : 0);
	}
	strbuf_addf(&sb, "# netlab: each daemon logs here (netlab logs LAB NODE shows it)\n"
			 "frr_global_options=\"--log file:" ROUTING_FRR_LOG "\"\n");
	return strbuf_detach(&sb);
}

int routing_frr_check(const char *path, char **rejected)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	FILE *f;
	int p[2], st;
	pid_t pid;
	ssize_t got;

	*rejected = NULL;
	if (access(ROUTING_VTYSH, X_OK) < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		int r = -errno;

		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execl(ROUTING_VTYSH, "vtysh", "--dryrun", "-f", path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		/* "line 2: % Unknown command[41]:  netwrok 10.0.0.0/8 area 0" */
		unsigned long line;
		char *colon, *end;

		if (strncmp(buf, "line ", 5) != 0 || (line = strtoul(buf + 5, &end, 10)) == 0 ||
		    *end != ':')
			continue;
		end[strcspn(end, "\n")] = '\0';
		colon = end + 1 + strspn(end + 1, " %");
		/* "Unknown command[41]:  TEXT": FRR's word for it, then the line as written */
		if ((end = strchr(colon, '[')) && end[1 + strspn(end + 1, "0123456789")] == ']') {
			char *rest = end + 1 + strspn(end + 1, "0123456789") + 1;

			memmove(end, rest, strlen(rest) + 1);
		}
		if ((end = strstr(colon, ":  ")))
			memmove(end + 2, end + 2 + strspn(end + 2, " "),
				strlen(end + 2 + strspn(end + 2, " ")) + 1);
		strbuf_addf(&sb, "%lu\t%s\n", line, colon);
	}
	if (f)
		fclose(f);
	else
		close(p[0]);
	while ((got = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	*rejected = strbuf_detach(&sb);
	return 0;
}

/* root/etc/NAME: a directory with the machine's /etc/NAME's owner and mode; file in it with the
 * contents text, the owner of the directory and mode 0640. */
static int write_conf(const char *root, const char *name, const char *file, const char *text,
		      struct stat *dir)
{
	_cleanup_free_ char *d = util_xasprintf("%s/etc/%s", root, name),
			    *path = util_xasprintf("%s/%s", d, file);
	int r;

	if ((r = util_mkdir_p(d, 0755)) < 0)
		return r;
	if (dir->st_uid == util_overflow_uid()) {
		/* in a rootless lab the machine's frr or bird is not mapped (it shows as the
		 * overflow uid, docs/rootless.md): the daemon's user as /etc/passwd names it */
		struct passwd *pw = getpwnam(name);

		if (pw) {
			dir->st_uid = pw->pw_uid;
			dir->st_gid = pw->pw_gid;
		}
	}
	if (chmod(d, dir->st_mode & 07777) < 0 || chown(d, dir->st_uid, dir->st_gid) < 0)
		return -errno;
	if ((r = util_write_file_atomic(path, text, strlen(text), 0640)) < 0)
		return r;
	return chown(path, dir->st_uid, dir->st_gid) < 0 ? -errno : 0;
}

/* What Debian 12's FRR 8.4 ships in /etc/frr/daemons (without its comments). */
static const char frr_daemons_default[] =
	"bgpd=no\nospfd=no\nospf6d=no\nripd=no\nripngd=no\nisisd=no\npimd=no\npim6d=no\nldpd=no\n"
	"nhrpd=no\neigrpd=no\nbabeld=no\nsharpd=no\npbrd=no\nbfdd=no\nfabricd=no\nvrrpd=no\n"
	"pathd=no\nvtysh_enable=yes\nzebra_options=\"  -A 127.0.0.1 -s 90000000\"\n"
	"bgpd_options=\"   -A 127.0.0.1\"\nospfd_options=\"  -A 127.0.0.1\"\n"
	"ospf6d_options=\" -A ::1\"\nripd_options=\"   -A 127.0.0.1\"\n"
	"ripngd_options=\" -A ::1\"\nisisd_options=\"  -A 127.0.0.1\"\n"
	"pimd_options=\"   -A 127.0.0.1\"\npim6d_options=\"  -A ::1\"\n"
	"ldpd_options=\"   -A 127.0.0.1\"\nnhrpd_options=\"  -A 127.0.0.1\"\n"
	"eigrpd_options=\" -A 127.0.0.1\"\nbabeld_options=\" -A 127.0.0.1\"\n"
	"sharpd_options=\" -A 127.0.0.1\"\npbrd_options=\"   -A 127.0.0.1\"\n"
	"staticd_options=\"-A 127.0.0.1\"\nbfdd_options=\"   -A 127.0.0.1\"\n"
	"fabricd_options=\"-A 127.0.0.1\"\nvrrpd_options=\"  -A 127.0.0.1\"\n"
	"pathd_options=\"  -A 127.0.0.1\"\n";

static int write_frr(const struct topo *t, const struct topo_node *n, const char *root,
		     const char *base)
{
	_cleanup_free_ char *path = topo_path(t, n->frr), *conf = NULL, *daemons = NULL,
			    *text = NULL;
	const char *list[ROUTING_FRR_MAX + 1];
	struct stat dir;
	int r;

	_cleanup_free_ char *etc = util_xasprintf("%s/etc/frr", base),
			    *init = util_xasprintf("%s%s", base, ROUTING_FRR_INIT),
			    *machine_daemons = util_xasprintf("%s/etc/frr/daemons", base),
			    *machine_vtysh = util_xasprintf("%s/etc/frr/vtysh.conf", base);

	if (stat(etc, &dir) < 0 || access(init, X_OK) < 0)
		return log_errno(
			-ENOENT,
			*base ? "node %s: frr: FRR is not in its image %s (the frr recipe has it)" :
				"node %s: frr: FRR is not installed on this machine (Debian's frr package: make deps)",
			n->name, n->image);
	if ((r = util_read_file(path, &conf, NULL)) < 0)
		return log_errno(r, "node %s: frr: cannot read '%s'", n->name, path);
	/* unreadable in a rootless lab (the machine's frr owns it, unmapped): FRR's own defaults */
	if ((r = util_read_file(machine_daemons, &daemons, NULL)) == -EACCES)
		daemons = util_xstrdup(frr_daemons_default);
	else if (r < 0)
		return log_errno(r, "node %s: frr: cannot read '%s'", n->name, machine_daemons);
	routing_frr_daemons(conf, list);
	text = routing_frr_daemons_file(daemons, list);
	if ((r = write_conf(root, "frr", "frr.conf", conf, &dir)) < 0 ||
	    (r = write_conf(root, "frr", "daemons", text, &dir)) < 0 ||
	    (access(machine_vtysh, R_OK) < 0 && errno == EACCES && /* rootless, as above */
	     (r = write_conf(root, "frr", "vtysh.conf", "service integrated-vtysh-config\n",
			     &dir)) < 0))
		return log_errno(r, "node %s: frr: cannot write its configuration in '%s/etc/frr'",
				 n->name, root);
	return 0;
}

static int write_bird(const struct topo *t, const struct topo_node *n, const char *root,
		      const char *base)
{
	_cleanup_free_ char *path = topo_path(t, n->bird), *conf = NULL,
			    *etc = util_xasprintf("%s/etc/bird", base);
	struct stat dir;
	int r;

	if (stat(etc, &dir) < 0)
		return log_errno(
			-ENOENT,
			*base ? "node %s: bird: BIRD is not in its image %s (build one with bird2 in --packages)" :
				"node %s: bird: BIRD is not installed on this machine (Debian's bird2 package: make deps)",
			n->name, n->image);
	if ((r = util_read_file(path, &conf, NULL)) < 0)
		return log_errno(r, "node %s: bird: cannot read '%s'", n->name, path);
	if ((r = write_conf(root, "bird", "bird.conf", conf, &dir)) < 0)
		return log_errno(r,
				 "node %s: bird: cannot write its configuration in '%s/etc/bird'",
				 n->name, root);
	return 0;
}

int routing_write(const struct topo *t, const struct topo_node *n, const char *root,
		  const char *base)
{
	int r;

	if (n->frr && (r = write_frr(t, n, root, base)) < 0)
		return r;
	if (n->bird && (r = write_bird(t, n, root, base)) < 0)
		return r;
	return 0;
}

/* Whether FRR daemon name runs in the node whose writable layer is root: its pid file, and a
 * process of that pid. */
static bool frr_running(const char *root, const char *name)
{
	_cleanup_free_ char *path = util_xasprintf("%s/run/frr/%s.pid", root, name), *text = NULL;
	long pid;

	if (util_read_file(path, &text, NULL) < 0)
		return false;
	pid = strtol(text, NULL, 10);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

const char *routing_frr_missing(const struct topo *t, const struct topo_node *n, const char *root)
{
	const char *list[ROUTING_FRR_MAX + 4] = { "watchfrr", "zebra", "staticd" };
	_cleanup_free_ char *path = topo_path(t, n->frr), *conf = NULL;

	if (util_read_file(path, &conf, NULL) == 0)
		routing_frr_daemons(conf, list + 3);
	for (size_t k = 0; list[k]; k++)
		if (!frr_running(root, list[k]))
			return list[k];
	return NULL;
}

/* Whether root/etc/NAME/FILE differs from path's contents (either unreadable: it does). */
static bool conf_differs(const char *path, const char *root, const char *name, const char *file)
{
	_cleanup_free_ char *in_node = util_xasprintf("%s/etc/%s/%s", root, name, file), *a = NULL,
			    *b = NULL;

	return util_read_file(path, &a, NULL) < 0 || util_read_file(in_node, &b, NULL) < 0 ||
	       strcmp(a, b) != 0;
}

bool routing_conf_changed(const struct topo *t, const struct topo_node *n, const char *root)
{
	_cleanup_free_ char *frr = n->frr ? topo_path(t, n->frr) : NULL,
			    *bird = n->bird ? topo_path(t, n->bird) : NULL;

	return (frr && conf_differs(frr, root, "frr", "frr.conf")) ||
	       (bird && conf_differs(bird, root, "bird", "bird.conf"));
}
