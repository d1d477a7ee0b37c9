/* procs.h: processes by network namespace, found the way `ip netns pids` finds them. */
#ifndef NETLAB_PROCS_H
#define NETLAB_PROCS_H

#include <sys/types.h>

/* Calls fn(pid, inode of its network namespace, arg) for every process whose namespace can be
 * read (not zombies, not kernel threads' peers we cannot see). Returns 0 or -errno. */
int procs_scan(void (*fn)(pid_t pid, ino_t net_ino, void *arg), void *arg);
/* The process's name as `ps` shows it (/proc/PID/comm), or "?" when it cannot be read. */
void procs_comm(pid_t pid, char *buf, size_t size);

#endif
