/* procs.h: processes by network namespace, found the way `ip netns pids` finds them. */
#ifndef NETLAB_PROCS_H
#define NETLAB_PROCS_H

#include <sys/types.h>
#include "attr.h"

/* A process and the inodes of its network and mount namespaces (mnt 0 when it cannot be read). */
struct procs_entry {
	pid_t pid;
	ino_t net_ino;
	ino_t mnt_ino;
};
/* Calls fn(entry, arg) for every process whose network namespace can be read (not zombies, not
 * kernel threads' peers we cannot see). Returns 0 or -errno. */
_must_check_ int procs_scan(void (*fn)(const struct procs_entry *p, void *arg), void *arg);
/* The process's name as `ps` shows it (/proc/PID/comm), or "?" when it cannot be read. */
void procs_comm(pid_t pid, char *buf, size_t size);

#endif
