/* exec.c: enter a node (network + UTS namespace, private mounts), as iproute2's netns_switch()
 * and bind_etc() do for `ip netns exec`. */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "apply.h"
#include "exec.h"
#include "nsfs.h"
#include "util.h"

static int bind_etc(const char *netns)
{
	_cleanup_free_ char *dir = util_xasprintf("%s/%s", APPLY_ETC_NETNS, netns);
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		_cleanup_free_ char *src = NULL, *dst = NULL;

		if (e->d_name[0] == '.')
			continue;
		src = util_xasprintf("%s/%s", dir, e->d_name);
		dst = util_xasprintf("/etc/%s", e->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL) < 0 && r == 0)
			r = -errno;
	}
	closedir(d);
	return r;
}

int exec_enter(const struct lab *l, size_t i)
{
	const struct topo_node *n = &l->topo->nodes[i];
	_cleanup_free_ char *pin = apply_netns_path(n->netns);
	_cleanup_free_ char *uts = util_xasprintf("%s/%s/%s", l->st->dir, STATE_UTS_DIR, n->name);
	_cleanup_close_ int net_fd = nsfs_open(pin), uts_fd = nsfs_open(uts);
	unsigned long sys_flags = 0;
	struct statvfs sv;
	int r;

	if (net_fd < 0)
		return net_fd;
	if (uts_fd < 0)
		return uts_fd;
	if ((r = nsfs_enter(net_fd, CLONE_NEWNET)) < 0 || (r = nsfs_enter(uts_fd, CLONE_NEWUTS)) < 0)
		return r;
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* Keep our mounts to ourselves, and see the pins' removal when the lab goes down. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return -errno;
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		sys_flags = MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		return -errno;
	if (mount(n->netns, "/sys", "sysfs", sys_flags, NULL) < 0)
		return -errno;
	return bind_etc(n->netns);
}
