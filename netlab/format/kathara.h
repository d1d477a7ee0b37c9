/* kathara.h: `netlab import kathara`: a Kathará (or Netkit) lab, read into memory by the caller,
 * turned into a netlab topology. Pure: the caller reads lab.conf, each DEVICE.startup and the
 * routing configurations under DEVICE/etc, and writes what kathara_convert returns (docs/kathara.md
 * is the mapping). */
#ifndef NETLAB_KATHARA_H
#define NETLAB_KATHARA_H

#include <stdbool.h>

#include "strbuf.h"
#include "topo.h"

struct kathara_iface {
	unsigned int index; /* DEVICE[N]: the interface is ethN */
	char *domain; /* the collision domain, as written */
	char *mac; /* DEVICE[N]="DOMAIN/MAC": MAC, or NULL */
	int line;
	bool mac_refused; /* the topology refused it (kathara_demote): not written again */
};

/* A routing configuration found in the device's directory: etc/DIR/NAME. */
struct kathara_conf {
	char *dir; /* "frr", "quagga" or "zebra" */
	char *name; /* "frr.conf", "ospfd.conf", "daemons", ... */
	char *text;
};

struct kathara_device {
	char *name; /* as lab.conf writes it (its directory's and startup file's name) */
	char *node; /* the netlab node's name */
	struct kathara_iface *ifaces;
	size_t n_ifaces;
	char *image; /* DEVICE[image], or NULL */
	char *memory, *cpus; /* DEVICE[mem] and DEVICE[cpus], as netlab's keys take them, or NULL */
	struct strbuf sysctls; /* "sysctl.KEY = VALUE\n" lines converted from DEVICE[sysctl] */
	/* Set by the caller after kathara_parse_conf: */
	char *startup; /* DEVICE.startup's text, or NULL */
	char *interfaces; /* DEVICE/etc/network/interfaces's text (ifupdown), or NULL */
	unsigned int startup_mode; /* its permission bits (what is made of it is no more open) */
	unsigned int conf_mode; /* the permission bits all its confs share (& of theirs) */
	bool has_dir; /* DEVICE/ exists */
	char *dir_problem; /* why DEVICE/ cannot be the node's files (netlab's rules), or NULL */
	struct kathara_conf *confs;
	size_t n_confs;
	/* Set by kathara_demote when the topology refused what was made of this device: 1, its
	 * startup lines and sysctls stay commands (no keys); 2, no paths either (files, startup) */
	int demoted;
	/* Set by kathara_convert, for the caller to write beside the topology: */
	char *script; /* the startup script left after conversion (NULL: nothing left) */
	/* an FRR configuration made from the device's own files (NULL: none made) */
	char *frr_conf;
	/* Set by the caller after FRR checked frr_conf: lines FRR rejects (Quagga-only ones such as
	 * `debug bgp fsm`), trimmed, each with FRR's reason; the next kathara_convert leaves them
	 * out, noted */
	struct kathara_refused {
		char *line, *why;
	} * frr_refused;
	size_t n_frr_refused;
};

struct kathara_lab {
	struct kathara_device *devs;
	size_t n_devs;
	struct strbuf header; /* LAB_* metadata, as comment lines */
	char *description;
	bool shared_dir; /* the caller found DIR/shared/ */
	char *shared_startup; /* DIR/shared.startup's text, or NULL (set by the caller) */
	unsigned int shared_mode; /* its permission bits */
	/* everything not converted: "lab.conf:7: ...", "r1.startup:3: ..." */
	struct topo_diag notes;
	size_t n_read_notes; /* how many notes reading made (kathara_convert adds its own after) */
	struct topo_diag refused; /* what kathara_demote left out, and why (notes of each
				     conversion) */
	bool converted;
};

/* Parses lab.conf's text into *lab (devices in the order lab.conf first names them). Lines that
 * are not Kathará's become notes; never fails. */
void kathara_parse_conf(const char *text, struct kathara_lab *lab);

/* Where the caller writes things, as the topology must name them (relative to the topology file,
 * or absolute): the lab directory ("" when the topology is written in it, else "DIR/") and the
 * directory for the scripts and configurations kathara_convert makes ("netlab.d/"). */
struct kathara_paths {
	const char *lab_dir;
	const char *aux_dir;
};

/* Writes the topology into out (its lab called name), converting each device's startup file
 * (setting dev->script and dev->frr_conf) and adding a note for everything not converted; the
 * notes are also the comment at the top of out. May be called again after kathara_demote (the
 * notes of the last conversion are replaced). */
void kathara_convert(struct kathara_lab *lab, const char *name, const char *prefix,
		     const struct kathara_paths *paths, struct strbuf *out);

/* The topology kathara_convert wrote (text) did not validate (problems: "FILE:LINE: message"
 * each): marks what made each problem (the device of a [node] section, the MACs of a [link] or
 * [lan]) to be left out by the next kathara_convert, with a note. Returns whether anything was
 * marked (false: converting again would not help). Lines longer than the loader takes are never
 * written, nor a lab without devices: the caller refuses that. */
bool kathara_demote(struct kathara_lab *lab, const char *text, const struct topo_diag *problems);

/* Adds a line of d->frr_conf (its number, from 1) that FRR rejects (why) to d->frr_refused.
 * Returns whether it was new. */
bool kathara_frr_refuse(struct kathara_device *d, unsigned long line, const char *why);

/* The default lab name for a lab directory's base name: its characters valid in a lab name. */
char *kathara_lab_name(const char *base);

void kathara_lab_clear(struct kathara_lab *lab);

#endif
