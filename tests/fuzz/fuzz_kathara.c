/* fuzz_kathara.c: libFuzzer target for the Kathara importer (format/kathara.c): an input is a
 * lab.conf, then after each NUL byte the startup file of the next device lab.conf names. The
 * topology kathara_convert writes must always load and validate once kathara_demote has left out
 * what the validator refused (as `netlab import` does): a topology that still does not validate,
 * or a crash, is a finding. Files are written under a private directory in /dev/shm. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kathara.h"
#include "topo.h"
#include "topo_ini.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, *end;
	struct kathara_lab lab = { 0 };
	struct strbuf out = { 0 };
	size_t dev = 0;

	if (!dir[0]) {
		char aux[128];

		snprintf(dir, sizeof(dir), "/dev/shm/netlab-fuzz-kathara-%d", (int)getpid());
		snprintf(aux, sizeof(aux), "%s/netlab.d", dir);
		mkdir(dir, 0700);
		mkdir(aux, 0700);
	}
	memcpy(text, data, size);
	text[size] = '\0';
	end = text + size;
	kathara_parse_conf(text, &lab);
	for (p = text + strlen(text) + 1; p < end && dev < lab.n_devs; p += strlen(p) + 1)
		lab.devs[dev++].startup = strdup(p);
	for (size_t i = 0; i < lab.n_devs; i++)
		lab.devs[i].startup_mode = lab.devs[i].conf_mode = 0644;
	lab.shared_mode = 0644;
	for (int round = 0; lab.n_devs > 0; round++) {
		struct topo *t = NULL;
		char path[128];
		bool valid;

		strbuf_release(&out);
		kathara_convert(&lab, "fuzz", NULL,
				&(struct kathara_paths){ .lab_dir = "", .aux_dir = "netlab.d/" },
				&out);
		for (size_t i = 0; i < lab.n_devs; i++) {
			char name[160];

			snprintf(name, sizeof(name), "netlab.d/%s.startup", lab.devs[i].node);
			put(name, lab.devs[i].script ? lab.devs[i].script : "");
			snprintf(name, sizeof(name), "netlab.d/%s.frr.conf", lab.devs[i].node);
			put(name, lab.devs[i].frr_conf ? lab.devs[i].frr_conf : "");
		}
		put("netlab.ini", strbuf_str(&out));
		snprintf(path, sizeof(path), "%s/netlab.ini", dir);
		if (topo_load(path, &t) < 0)
			abort();
		topo_check(t);
		valid = t->diag.n == 0;
		if (!valid && (round > 2 * (int)lab.n_devs + 2 ||
			       !kathara_demote(&lab, strbuf_str(&out), &t->diag))) {
			fprintf(stderr, "%s\n%s\n", strbuf_str(&out), t->diag.msgs[0]);
			abort(); /* the importer's topology must always validate */
		}
		topo_free(t);
		if (valid)
			break;
	}
	strbuf_release(&out);
	kathara_lab_clear(&lab);
	free(text);
	return 0;
}
