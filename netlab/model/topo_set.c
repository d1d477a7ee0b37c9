/* topo_set.c: a running lab's model changed by `netlab set` (impairment) and `netlab link` (link
 * state), word by word as the journal keeps them (topo_set.h). Pure. */
#include <errno.h>
#include <string.h>

#include "topo_set.h"
#include "util.h"

static void impair_clear(struct topo_impair *imp, unsigned int bit)
{
	imp->set &= ~bit;
	imp->line = imp->line ? imp->line : 1; /* had something: up must remove it */
}

static void refresh_iface_imp(struct topo *t, size_t li)
{
	struct topo_link *l = &t->links[li];

	for (int e = 0; e < 2; e++) {
		struct topo_iface *ifc =
			l->ends[e].resolved ?
				topo_iface_find(&t->nodes[l->ends[e].node], l->ends[e].ifname) :
				NULL;

		if (ifc) {
			ifc->imp = topo_impair_merge(&l->imp, &l->ends[e].imp);
			ifc->imp.line = 1; /* in force from now on, even when empty */
		}
	}
}

/* The impairment that KEY.NODE (node: NULL for KEY alone) changes on link l, or NULL. */
static struct topo_impair *set_target(struct topo_link *l, const char *node)
{
	if (!node)
		return &l->imp;
	if (l->lan) /* one member: its link to the LAN */
		return strcmp(l->ends[0].node_name, node) == 0 ? &l->imp : NULL;
	for (int e = 0; e < 2; e++)
		if (strcmp(l->ends[e].node_name, node) == 0)
			return &l->ends[e].imp;
	return NULL;
}

int topo_set_impair(struct topo *t, const char *name, const char *key, const char *value,
		    struct topo_diag *why)
{
	_cleanup_free_ char *k = util_xstrdup(key);
	char *dot = strchr(k, '.');
	size_t matched = 0;
	int f;

	if (dot)
		*dot++ = '\0';
	if ((f = topo_impair_field(k)) < 0) {
		topo_diag_add(why, "'%s' is not one of %s", k, topo_impair_key_list);
		return -EINVAL;
	}
	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_impair *imp;

		if (!topo_link_in(t, &t->links[i], name) || !(imp = set_target(&t->links[i], dot)))
			continue;
		matched++;
		if (strcmp(value, "off") == 0) {
			impair_clear(imp, 1u << f);
		} else {
			struct topo_impair tmp = *imp;
			int r = topo_impair_set(&tmp, k, value);

			if (r < 0) {
				topo_diag_add(why, "%s: '%s' is %s", key, value,
					      r == -ERANGE ? "out of range" : "not a valid value");
				return r;
			}
			*imp = tmp;
		}
		refresh_iface_imp(t, i);
	}
	if (!matched) {
		if (dot)
			topo_diag_add(why, "%s: '%s' is not an end of %s", key, dot, name);
		else
			topo_diag_add(why, "the lab has no link or LAN called '%s'", name);
		return -ENOENT;
	}
	return 0;
}

int topo_set_state(struct topo *t, const char *name, const char *node, bool down,
		   struct topo_diag *why)
{
	size_t matched = 0;

	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];
		struct topo_iface *ifc[2];

		if (!topo_link_in(t, l, name))
			continue;
		for (int e = 0; e < 2; e++)
			ifc[e] = topo_iface_find(&t->nodes[l->ends[e].node], l->ends[e].ifname);
		for (int e = 0; e < 2; e++) {
			if (node && strcmp(l->ends[e].node_name, node) != 0)
				continue;
			ifc[e]->down = down;
			matched++;
		}
		ifc[0]->cut = ifc[1]->cut = ifc[0]->down || ifc[1]->down;
	}
	if (!matched) {
		if (node)
			topo_diag_add(why, "'%s' is not an end of %s", node, name);
		else
			topo_diag_add(why, "the lab has no link or LAN called '%s'", name);
		return -ENOENT;
	}
	return 0;
}

int topo_set_word(struct topo *t, const char *name, const char *word, struct topo_diag *why)
{
	_cleanup_free_ char *w = util_xstrdup(word);
	char *eq = strchr(w, '=');

	if (!eq || eq == w || !eq[1]) {
		topo_diag_add(why, "'%s' is not KEY=VALUE", word);
		return -EINVAL;
	}
	*eq++ = '\0';
	if (strcmp(w, "state") != 0 && strncmp(w, "state.", 6) != 0)
		return topo_set_impair(t, name, w, eq, why);
	if (strcmp(eq, "up") != 0 && strcmp(eq, "down") != 0) {
		topo_diag_add(why, "%s: '%s' is not up or down", w, eq);
		return -EINVAL;
	}
	return topo_set_state(t, name, w[5] ? w + 6 : NULL, strcmp(eq, "down") == 0, why);
}
