/* kernel_capture.h: packet capture on one interface of the current network namespace, written as
 * standard pcap through libpcap (Debian's libpcap): to a file or to stdout ("-"), so that
 * `| tcpdump -r -` and `| wireshark -k -i -` read it as it comes. Never prints: libpcap's own
 * words on a failure come back with it (why, CAPTURE_WHY_SIZE bytes). */
#ifndef NETLAB_KERNEL_CAPTURE_H
#define NETLAB_KERNEL_CAPTURE_H

#include "attr.h"

#include <stddef.h>

struct capture;

#define CAPTURE_WHY_SIZE 256 /* PCAP_ERRBUF_SIZE */

/* Whether libpcap compiles the BPF filter (for Ethernet). Returns 0, or -EINVAL with libpcap's
 * words in why. */
_must_check_ int capture_filter_check(const char *filter, char *why);
/* Starts capturing on ifname (promiscuous, whole packets, delivered at once) with the BPF filter
 * (NULL or "": every packet; checked with capture_filter_check first), writing to path ("-":
 * stdout). Returns 0 or -errno with libpcap's words in why. */
_must_check_ int capture_open(const char *ifname, const char *filter, const char *path,
			      struct capture **out, char *why);
/* Writes packets until count were written (0: no limit) or capture_break. Returns the number
 * written, or -errno with libpcap's words in why. */
long capture_loop(struct capture *c, unsigned long count, char *why);
/* From a signal handler: makes capture_loop return. */
void capture_break(struct capture *c);
/* Packets the kernel dropped (the buffer was full) since the capture began, or 0. */
unsigned long capture_dropped(struct capture *c);
/* Flushes and closes the output; returns 0 or -errno (a write that failed). */
_must_check_ int capture_close(struct capture *c);

#endif
