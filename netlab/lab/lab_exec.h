/* lab_exec.h: entering a node, and running commands in it. Prints. */
#ifndef NETLAB_LAB_EXEC_H
#define NETLAB_LAB_EXEC_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "topo.h"
#include "attr.h"

/* The open-file limit (soft) a node's processes start with, as a login's on Debian */
#define EXEC_NOFILE 1024

/* Moves the calling process into node i of topology t (up, with its state in state_dir): its
 * network, UTS and mount namespaces (the node's own filesystem, see machine.h), in the caller's
 * working directory when the node sees it, else in /, with an open-file limit of at most
 * EXEC_NOFILE (soft; the hard one as netlab's). Returns 0, or -errno after saying which step
 * failed. */
_must_check_ int exec_enter(const struct topo *t, size_t i, const char *state_dir);

/* A startup script (a topo_cmd with script set) runs to its end, as Kathará runs one: bash
 * reads it (sourced: its lines are its own) and an ERR trap says of each command that fails, at
 * the top level of the script, EXEC_FAILED_MARK "N: exit status S: COMMAND" (N its line) on
 * stderr. */
#define EXEC_FAILED_MARK "netlab: startup line "

/* What exec_run keeps of a command's output: its first and last EXEC_OUTPUT_MAX/2 bytes, with a
 * line saying how many were cut between them (see keptbuf). */
#define EXEC_OUTPUT_MAX (1024 * 1024)

/* Runs c (a command line for /bin/sh -c, or a script for /bin/sh) inside node i and waits for
 * it. Returns its wait status (>= 0) or -errno; *output gets what it printed (stdout and stderr),
 * at most EXEC_OUTPUT_MAX bytes of it.
 * With stop not NULL, the command runs in a process group of its own, stopped (SIGTERM, SIGKILL a
 * second later) when *stop becomes non-zero (then -EINTR) or, with timeout_ms not 0, once it has
 * run that long (then -ETIME). */
_must_check_ int exec_run(const struct topo *t, size_t i, const char *state_dir,
			  const struct topo_cmd *c, char **output,
			  const volatile sig_atomic_t *stop, unsigned int timeout_ms);

/* A command for exec_batch: run in node `node`, and what came of it. */
struct exec_job {
	size_t node;
	const struct topo_cmd *cmd;
	int status; /* as exec_run returns: wait status, or -errno (-EINTR: stopped, or not run) */
	char *output; /* what it printed (as exec_run's), to be freed; NULL when not run */
	uint64_t started_ms; /* when it started (util_now_ms); 0 when not run */
};

/* Runs the n jobs, each as exec_run does (a process group of its own), at most width at a time,
 * in their order; when *stop becomes non-zero, the running ones are stopped (SIGTERM, SIGKILL a
 * second later) and the rest not started (all -EINTR); with timeout_ms not 0, a job that has run
 * that long is stopped too (-ETIME). Fills each job's status and output. */
void exec_batch(const struct topo *t, const char *state_dir, struct exec_job *v, size_t n,
		size_t width, const volatile sig_atomic_t *stop, unsigned int timeout_ms);

/* Starts c in the background inside node i, in a session of its own, its output appended to
 * log_path. Returns its pid or -errno. */
pid_t exec_daemon(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c,
		  const char *log_path);

#endif
