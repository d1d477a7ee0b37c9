/* protocol.c: FRR's JSON (vtysh -c '... json') and BIRD's text (birdc) on OSPF neighbours and BGP
 * sessions, read for the ospf and bgp assertions. Pure. */
#include <ctype.h>
#include <sys/socket.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "protocol.h"
#include "strbuf.h"
#include "util.h"

#define SEEN_MAX 20 /* neighbours or prefixes listed in what was seen */

char *proto_command(const struct topo_assert *a, bool bird, const char *bird_proto)
{
	bool v6 = strchr(a->peer, ':') != NULL;

	if (a->kind == TOPO_OSPF)
		return util_xstrdup(bird ? "birdc show ospf neighbors" :
					   "vtysh -c 'show ip ospf neighbor json'");
	if (bird)
		return bird_proto ? util_xasprintf("birdc show route export '%s'", bird_proto) :
				    util_xstrdup("birdc show protocols all");
	if (a->kind == TOPO_BGP)
		return util_xasprintf("vtysh -c 'show bgp neighbors %s json'", a->peer);
	return util_xasprintf("vtysh -c 'show bgp %s unicast neighbors %s advertised-routes json'",
			      a->addr.family == AF_INET6 || v6 ? "ipv6" : "ipv4", a->peer);
}

/* "dr", "bdr", "drother" or "ptp" from what follows "Full/" in FRR's or BIRD's state. */
static const char *role_word(const char *state)
{
	const char *slash = strchr(state, '/');
	const char *r = slash ? slash + 1 : "";

	if (!strcasecmp(r, "DR"))
		return "dr";
	if (!strcasecmp(r, "BDR") || !strcasecmp(r, "Backup"))
		return "bdr";
	if (!strcasecmp(r, "DROther") || !strcasecmp(r, "Other"))
		return "drother";
	return "ptp"; /* FRR "Full/-", BIRD "Full/PtP" */
}

/* One neighbour seen: whether it is the one a names, Full, in the role a wants. */
static bool ospf_match(const struct topo_assert *a, const char *id, const char *addr,
		       const char *state, struct strbuf *seen, size_t *n_seen)
{
	if ((*n_seen)++ < SEEN_MAX)
		strbuf_addf(seen, "%s%s %s (%s)", *n_seen > 1 ? ", " : "", id, state, addr);
	if (strcmp(a->peer, id) && strcmp(a->peer, addr))
		return false;
	return !strncasecmp(state, "Full", 4) && (!a->role || !strcmp(a->role, role_word(state)));
}

static bool ospf_frr(const struct topo_assert *a, const char *out, struct strbuf *seen,
		     size_t *n_seen)
{
	_cleanup_json_ struct json *j = NULL;
	const struct json *nbrs;
	bool found = false;

	if (json_parse(out, &j) < 0)
		return false;
	nbrs = json_get(j, "neighbors");
	for (size_t i = 0; nbrs && nbrs->type == JSON_OBJ && i < nbrs->n; i++) {
		const struct json *v = &nbrs->kids[i];

		for (size_t k = 0; v->type == JSON_ARR && k < v->n; k++) {
			const char *state = json_str(json_get(&v->kids[k], "nbrState")),
				   *addr = json_str(json_get(&v->kids[k], "address"));

			found |= ospf_match(a, v->key, addr ? addr : "?", state ? state : "?", seen,
					    n_seen);
		}
	}
	return found;
}

/* BIRD's table: "Router ID  Pri  State  DTime  Interface  Router IP", a neighbour a line. */
static bool ospf_bird(const struct topo_assert *a, const char *out, struct strbuf *seen,
		      size_t *n_seen)
{
	_cleanup_free_ char *copy = util_xstrdup(out);
	char *save = NULL;
	bool found = false;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[8];
		int n = util_split_words(line, " \t", 0, w, 8);

		if (n == 6 && isdigit((unsigned char)w[0][0]) && strchr(w[0], '.') &&
		    isdigit((unsigned char)w[1][0]))
			found |= ospf_match(a, w[0], w[5], w[2], seen, n_seen);
	}
	return found;
}

/* In BIRD's `show protocols all`, the block of the BGP protocol whose neighbour is peer: *name
 * and *state (its "BGP state:") set, to be freed. */
static bool bird_bgp_block(const char *out, const char *peer, char **name, char **state)
{
	_cleanup_free_ char *copy = util_xstrdup(out), *cur = NULL, *cur_state = NULL;
	char *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v;

		if (!isspace((unsigned char)line[0])) { /* a protocol's first line */
			char *w[2];

			free(steal_pointer(&cur));
			free(steal_pointer(&cur_state));
			if (util_split_words(line, " \t", 0, w, 2) >= 1)
				cur = util_xstrdup(w[0]);
			continue;
		}
		if ((v = strstr(line, "BGP state:"))) {
			free(cur_state);
			cur_state = util_xstrdup(util_trim(v + 10));
		} else if ((v = strstr(line, "Neighbor address:")) && cur &&
			   !strcmp(util_trim(v + 17), peer)) {
			/* the state comes before the address in BIRD 2 */
			*name = steal_pointer(&cur);
			*state = cur_state ? steal_pointer(&cur_state) : util_xstrdup("?");
			return true;
		}
	}
	return false;
}

char *proto_bird_bgp_name(const char *out, const char *peer)
{
	char *name = NULL, *state = NULL;

	if (!bird_bgp_block(out, peer, &name, &state))
		return NULL;
	free(state);
	return name;
}

static bool bgp_session(const struct topo_assert *a, bool bird, const char *out,
			struct strbuf *seen)
{
	_cleanup_json_ struct json *j = NULL;
	_cleanup_free_ char *name = NULL, *state = NULL;
	const char *s;

	if (bird) {
		if (!bird_bgp_block(out, a->peer, &name, &state)) {
			strbuf_addf(seen, "no BGP protocol with neighbor %s", a->peer);
			return false;
		}
		strbuf_addf(seen, "BGP state of %s: %s", name, state);
		return !strcasecmp(state, "Established");
	}
	if (json_parse(out, &j) < 0 ||
	    !(s = json_str(json_get(json_get(j, a->peer), "bgpState")))) {
		strbuf_addf(seen, "no BGP neighbor %s", a->peer);
		return false;
	}
	strbuf_addf(seen, "BGP state: %s", s);
	return !strcasecmp(s, "Established");
}

static bool bgp_advertised(const struct topo_assert *a, bool bird, const char *out,
			   struct strbuf *seen)
{
	_cleanup_json_ struct json *j = NULL;
	_cleanup_strbuf_ struct strbuf list = { 0 };
	char want[64];
	size_t n = 0;
	bool found = false;

	topo_prefix_str(&a->addr, true, want, sizeof(want));
	if (bird) {
		_cleanup_free_ char *copy = util_xstrdup(out);
		char *save = NULL;

		for (char *line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *w[2];

			if (isspace((unsigned char)line[0]) || !strchr(line, '/') ||
			    util_split_words(line, " \t", 0, w, 2) < 1)
				continue;
			found |= !strcmp(w[0], want);
			if (n++ < SEEN_MAX)
				strbuf_addf(&list, "%s%s", n > 1 ? " " : "", w[0]);
		}
	} else if (json_parse(out, &j) == 0) {
		const struct json *routes = json_get(j, "advertisedRoutes");

		for (size_t i = 0; routes && routes->type == JSON_OBJ && i < routes->n; i++) {
			found |= !strcmp(routes->kids[i].key, want);
			if (n++ < SEEN_MAX)
				strbuf_addf(&list, "%s%s", n > 1 ? " " : "", routes->kids[i].key);
		}
	}
	if (n == 0)
		strbuf_addf(seen, "nothing advertised to %s", a->peer);
	else
		strbuf_addf(seen, "advertised to %s: %s%s", a->peer, strbuf_str(&list),
			    n > SEEN_MAX ? " ..." : "");
	return found;
}

bool proto_found(const struct topo_assert *a, bool bird, const char *out, char **seen)
{
	struct strbuf sb = { 0 };
	size_t n = 0;
	bool found;

	if (a->kind == TOPO_OSPF) {
		found = bird ? ospf_bird(a, out, &sb, &n) : ospf_frr(a, out, &sb, &n);
		if (n == 0)
			strbuf_addf(&sb, "no OSPF neighbor");
		else if (n > SEEN_MAX)
			strbuf_addf(&sb, " and %zu more", n - SEEN_MAX);
	} else if (a->kind == TOPO_BGP) {
		found = bgp_session(a, bird, out, &sb);
	} else {
		found = bgp_advertised(a, bird, out, &sb);
	}
	*seen = strbuf_detach(&sb);
	return found;
}
