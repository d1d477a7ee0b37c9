/* etcnetns.c: the lab's hosts file and its /etc/netns/NS links. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "etcnetns.h"
#include "strbuf.h"
#include "util.h"

char *etcnetns_path(const char *ns)
{
	return util_xasprintf("%s/%s", ETCNETNS_DIR, ns);
}

/* The lab's hosts file: localhost, then every address of every node under the node's name. */
static char *hosts_text(const struct topo *t)
{
	struct strbuf sb = { 0 };
	char b[64];

	strbuf_addf(&sb, "# written by netlab for lab %s\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", t->name);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		bool alias = strcmp(n->hostname, n->name) != 0;

		for (size_t k = 0; k < n->n_ifaces; k++)
			for (size_t a = 0; a < n->ifaces[k].n_addrs; a++)
				strbuf_addf(&sb, "%s\t%s%s%s\n", topo_prefix_str(&n->ifaces[k].addrs[a].p, false, b, sizeof(b)), n->name,
					    alias ? " " : "", alias ? n->hostname : "");
	}
	return strbuf_detach(&sb);
}

int etcnetns_prepare(struct state *st, const struct topo *t)
{
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *hosts = util_xasprintf("%s/hosts", etc);
	_cleanup_free_ char *text = hosts_text(t);
	int r;

	if (mkdir(etc, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", etc);
	if ((r = util_write_file_atomic(hosts, text, strlen(text), 0644)) < 0)
		return log_errno(r, "cannot write '%s'", hosts);
	/* /etc/netns is shared by every lab (and by iproute2's users) */
	if (mkdir(ETCNETNS_DIR, 0755) == 0) {
		if ((r = util_write_file_atomic(ETCNETNS_MARKER, "", 0, 0644)) < 0)
			return log_errno(r, "cannot write '%s'", ETCNETNS_MARKER);
	} else if (errno != EEXIST) {
		return log_errno(-errno, "cannot create '%s'", ETCNETNS_DIR);
	}
	return 0;
}

int etcnetns_link(struct state *st, const char *ns)
{
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *link = etcnetns_path(ns);
	int r;

	if ((r = state_record(st, "etc %s\n", ns)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", st->lab);
	if (symlink(etc, link) < 0) /* EEXIST: not ours (down removes it only if it points at etc) */
		return log_errno(-errno, "cannot create '%s'", link);
	return 0;
}

int etcnetns_remove(const struct state_journal *j, const char *etc_dir)
{
	int r = 0;

	for (size_t i = 0; i < j->n_etc; i++) {
		_cleanup_free_ char *link = etcnetns_path(j->etc[i]);
		char target[PATH_MAX];
		ssize_t len;

		len = readlink(link, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, etc_dir) == 0 && unlink(link) < 0 && errno != ENOENT) {
			int q = log_errno(-errno, "cannot remove '%s'", link);

			r = r < 0 ? r : q;
		}
	}
	/* netlab made /etc/netns: remove it once no lab (nor anybody) has anything in it */
	if (access(ETCNETNS_MARKER, F_OK) == 0 && rmdir(ETCNETNS_DIR) == 0)
		unlink(ETCNETNS_MARKER);
	return r;
}
