/* sysctl.c: writes a sysctl in the current network namespace. /proc/sys/net/ follows the network
 * namespace of the task that opens the file, so no remount of /proc is needed. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

int sysctl_write(const char *key, const char *value)
{
	_cleanup_free_ char *path = util_xasprintf("/proc/sys/%s", key);
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);

	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	return 0;
}
