/* nodefd.c: the files a command holds on the nodes of a lab, within the open-file limit. */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "nodefd.h"
#include "nsfs.h"
#include "util.h"

#define NONE SIZE_MAX

int nodefd_init(struct nodefd *c, const struct topo *t, int orig)
{
	size_t n = t->n_nodes ? t->n_nodes : 1, limit = 0;
	int avail = util_nofile_free(&limit);

	*c = (struct nodefd){ .t = t, .orig = orig, .head = NONE, .tail = NONE };
	if (avail < 0)
		return log_errno(avail, "cannot read the open-file limit");
	/* two files at least, for the two ends of a veth, and room for one socket */
	if (avail < NODEFD_RESERVE + 4) {
		util_log(
			"the open-file limit (%zu, 'ulimit -n') leaves too few files: netlab needs at least %d",
			limit, NODEFD_RESERVE + 4 + (int)(limit - (size_t)avail));
		return -EMFILE;
	}
	c->max = (size_t)avail - NODEFD_RESERVE;
	c->ns = util_xmalloc(n * sizeof(*c->ns));
	c->nl = util_xcalloc(n, sizeof(*c->nl));
	c->prev = util_xmalloc(n * sizeof(*c->prev));
	c->next = util_xmalloc(n * sizeof(*c->next));
	for (size_t i = 0; i < n; i++) {
		c->ns[i] = -1;
		c->prev[i] = c->next[i] = NONE;
	}
	return 0;
}

static bool in_list(const struct nodefd *c, size_t i)
{
	return c->head == i || c->prev[i] != NONE;
}

static void unlink_node(struct nodefd *c, size_t i)
{
	if (!in_list(c, i))
		return;
	if (c->prev[i] != NONE)
		c->next[c->prev[i]] = c->next[i];
	else
		c->head = c->next[i];
	if (c->next[i] != NONE)
		c->prev[c->next[i]] = c->prev[i];
	else
		c->tail = c->prev[i];
	c->prev[i] = c->next[i] = NONE;
}

/* Node i used now: to the end of the list. */
static void touch(struct nodefd *c, size_t i)
{
	unlink_node(c, i);
	c->prev[i] = c->tail;
	if (c->tail != NONE)
		c->next[c->tail] = i;
	else
		c->head = i;
	c->tail = i;
}

static void close_node(struct nodefd *c, size_t i)
{
	if (c->ns[i] >= 0) {
		close(c->ns[i]);
		c->ns[i] = -1;
		c->n_open--;
	}
	if (c->nl[i].sk) {
		nls_close(&c->nl[i]);
		c->n_open--;
	}
	unlink_node(c, i);
}

/* Room for one more file, node keep's files aside: the least recently used nodes' are closed. */
static void make_room(struct nodefd *c, size_t keep)
{
	while (c->n_open >= c->max && c->head != NONE) {
		size_t victim = c->head != keep ? c->head : c->next[keep];

		if (victim == NONE)
			return; /* keep's alone: max is at least 4, so this cannot be */
		close_node(c, victim);
	}
}

void nodefd_free(struct nodefd *c)
{
	for (size_t i = 0; c->ns && i < c->t->n_nodes; i++)
		close_node(c, i);
	free(c->ns);
	free(c->nl);
	free(c->prev);
	free(c->next);
	c->ns = NULL;
	c->nl = NULL;
	c->prev = c->next = NULL;
}

/* An error opening a file: says which limit when it is the open-file one. */
static int opened(struct nodefd *c, int r)
{
	if (r == -EMFILE || r == -ENFILE)
		util_log("the open-file limit was hit with %zu files open for nodes (%s)",
			 c->n_open,
			 r == -EMFILE ? "this process's limit, 'ulimit -n'" :
					"the system's, fs.file-max");
	return r;
}

void nodefd_put_ns(struct nodefd *c, size_t i, int fd)
{
	make_room(c, i);
	if (c->ns[i] >= 0)
		close(c->ns[i]);
	else
		c->n_open++;
	c->ns[i] = fd;
	touch(c, i);
}

int nodefd_ns(struct nodefd *c, size_t i)
{
	_cleanup_free_ char *pin = NULL;
	int fd;

	if (c->ns[i] >= 0) {
		touch(c, i);
		return c->ns[i];
	}
	make_room(c, i);
	pin = nsfs_netns_path(c->t->nodes[i].netns);
	if ((fd = nsfs_open(pin)) < 0)
		return opened(c, fd);
	c->ns[i] = fd;
	c->n_open++;
	touch(c, i);
	return fd;
}

struct nls *nodefd_nl(struct nodefd *c, size_t i, int *err)
{
	int fd;

	if (c->nl[i].sk) {
		touch(c, i);
		return &c->nl[i];
	}
	if ((fd = nodefd_ns(c, i)) < 0) {
		*err = fd;
		return NULL;
	}
	make_room(c, i);
	if ((*err = nls_open_in(&c->nl[i], fd, c->orig)) < 0) {
		opened(c, *err);
		return NULL;
	}
	c->n_open++;
	touch(c, i);
	return &c->nl[i];
}
