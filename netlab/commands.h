/* commands.h: every netlab command; each returns the process exit status. */
#ifndef NETLAB_COMMANDS_H
#define NETLAB_COMMANDS_H

#include <stdio.h>

#include "topo.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_test(int argc, char **argv);

/* Brings up the lab of FILE, already loaded and checked as t; says so on out. Returns an exit status. */
int cmd_bring_up(const char *file, const struct topo *t, FILE *out);
/* Resolves an optional LAB|FILE argument; with none, the only lab that is up. Returns an exit status. */
int cmd_resolve_lab(const char *cmd, const char *arg, char **lab);

struct lab;
/* Opens the running lab name (flags as state_open), printing why not. Returns an exit status. */
int cmd_open_lab(const char *cmd, const char *name, unsigned int flags, struct lab **out);

/* Resolves a LAB|FILE argument to a lab name: a path (with '/', or an existing file) is loaded
 * for its [lab] name; anything else must be a valid lab name. Returns an exit status. */
int cmd_lab_name(const char *cmd, const char *arg, char **lab);

/* Loads and checks FILE, printing every problem on stderr. Returns EXIT_OK with *out set, or
 * EXIT_USAGE (invalid topology) / EXIT_FAIL (unreadable file). */
int cmd_load_topology(const char *file, struct topo **out);

/* Prints "netlab: CMD: MESSAGE" and a hint to --help on stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
