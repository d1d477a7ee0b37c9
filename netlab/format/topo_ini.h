/* topo_ini.h: reading a topology from its INI file (the only user of iniparser). Pure but for
 * reading the file. */
#ifndef NETLAB_TOPO_INI_H
#define NETLAB_TOPO_INI_H

#include "topo.h"

/* topo_ini.c: loads FILE. Returns 0 with *out set (problems, if any, are in (*out)->diag),
 * or -errno when the file cannot be read. */
_must_check_ int topo_load(const char *file, struct topo **out);

/* What a lab is called in place of its file's [lab] name and netns-prefix (up --name LAB
 * --netns-prefix P: one file up twice at once). NULL fields keep the file's; a name without a
 * prefix gives the prefix "NAME-", whatever the file's netns-prefix is. */
struct topo_naming {
	const char *name, *prefix;
};
/* topo_load, then named as naming says (checked as the file's would be). */
_must_check_ int topo_load_as(const char *file, const struct topo_naming *naming,
			      struct topo **out);

/* A file holding only [test NAME] and [defaults test] sections, for the running lab `lab`: its
 * tests in (*out)->tests, its problems (assertions naming nodes or addresses lab does not have
 * included, unless lab is NULL) in (*out)->diag. Returns 0, or -errno when the file cannot be
 * read. */
_must_check_ int topo_load_tests(const char *file, const struct topo *lab, struct topo **out);
/* text without its [test ...] and [defaults test] sections (to be freed): what a lab is made of. */
char *topo_text_without_tests(const char *text);
/* Only those sections of text (to be freed). */
char *topo_text_tests(const char *text);
/* text (a topology file's) with key of section [type name] set to value (quoted when it must be),
 * in place of the key's line, or after the section's head, or in a section added at the end; value
 * NULL removes the key. To be freed. */
char *topo_text_set(const char *text, const char *type, const char *name, const char *key,
		    const char *value);
/* The value of key in section [type name] of text, to be freed; NULL when it has none. */
char *topo_text_get(const char *text, const char *type, const char *name, const char *key);

#endif
