/* kernel_capture.c: pcap capture through libpcap (see kernel_capture.h). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_capture.h"
#include "util.h"

struct capture {
	pcap_t *p;
	pcap_dumper_t *d;
	unsigned long written, want;
};

static void capture_free(struct capture *c)
{
	if (c->d)
		pcap_dump_close(c->d);
	if (c->p)
		pcap_close(c->p);
	free(c);
}

/* err, with libpcap's words msg in why; c (nothing written yet) is freed. */
static int pcap_fail(struct capture *c, int err, const char *msg, char *why)
{
	snprintf(why, CAPTURE_WHY_SIZE, "%s", msg ? msg : "");
	capture_free(c);
	return err;
}

int capture_filter_check(const char *filter, char *why)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	int r = 0;

	*why = '\0';
	if (!p)
		return -ENOMEM;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(why, CAPTURE_WHY_SIZE, "%s", pcap_geterr(p));
		r = -EINVAL;
	} else {
		pcap_freecode(&prog);
	}
	pcap_close(p);
	return r;
}

int capture_open(const char *ifname, const char *filter, const char *path, struct capture **out,
		 char *why)
{
	struct capture *c = util_xcalloc(1, sizeof(*c));
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	int r;

	*why = '\0';
	if (!(c->p = pcap_create(ifname, errbuf)))
		return pcap_fail(c, -ENODEV, errbuf, why);
	pcap_set_snaplen(c->p, 262144);
	pcap_set_promisc(c->p, 1);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_timeout(c->p, 100);
	if ((r = pcap_activate(c->p)) < 0) {
		int err = -EIO;

		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			err = -ENODEV;
		else if (r == PCAP_ERROR_PERM_DENIED)
			err = -EPERM;

		return pcap_fail(c, err, pcap_geterr(c->p), why);
	}
	if (filter && *filter) {
		if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
			return pcap_fail(c, -EINVAL, pcap_geterr(c->p), why);
		r = pcap_setfilter(c->p, &prog);
		pcap_freecode(&prog);
		if (r < 0)
			return pcap_fail(c, -EIO, pcap_geterr(c->p), why);
	}
	if (!(c->d = pcap_dump_open(c->p, path)))
		return pcap_fail(c, errno ? -errno : -EIO, pcap_geterr(c->p), why);
	pcap_dump_flush(c->d); /* the file header, at once: a reader on a pipe starts now */
	*out = c;
	return 0;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;

	if (c->want && c->written >= c->want)
		return; /* the same batch, after the last one wanted */
	pcap_dump((u_char *)c->d, h, bytes);
	c->written++;
	if (c->want && c->written >= c->want)
		pcap_breakloop(c->p);
}

long capture_loop(struct capture *c, unsigned long count, char *why)
{
	*why = '\0';
	c->want = count;
	for (;;) {
		int n = pcap_dispatch(c->p, -1, on_packet, (u_char *)c);

		if (n == PCAP_ERROR_BREAK)
			break;
		if (n < 0) {
			snprintf(why, CAPTURE_WHY_SIZE, "%s", pcap_geterr(c->p));
			return -EIO;
		}
		if (n > 0 && pcap_dump_flush(c->d) < 0)
			return util_errno_or(EIO);
	}
	return (long)c->written;
}

void capture_break(struct capture *c)
{
	pcap_breakloop(c->p);
}

unsigned long capture_dropped(struct capture *c)
{
	struct pcap_stat st;

	return pcap_stats(c->p, &st) == 0 ? st.ps_drop : 0;
}

int capture_close(struct capture *c)
{
	int r = 0;

	if (!c)
		return 0;
	if (c->d && pcap_dump_flush(c->d) < 0)
		r = util_errno_or(EIO);
	capture_free(c);
	return r;
}
