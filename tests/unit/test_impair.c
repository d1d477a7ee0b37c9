/* test_impair.c: the impairment table (model/impair.c) and `netlab set`'s changes to a model. */
#include <errno.h>
#include <string.h>

#include "load.h"
#include "tap.h"
#include "topo.h"
#include "topo_set.h"
#include "util.h"

/* A lab of two routers joined by link r1-r2, and a LAN lan1 with members h1 and h2. */
static const char lab_ini[] =
	"[lab]\nname = imp\n"
	"[node r1]\nkind = router\neth0 = 10.0.0.1/24\n"
	"[node r2]\nkind = router\neth0 = 10.0.0.2/24\n"
	"[link r1-r2]\nendpoints = r1:eth0 r2:eth0\ndelay = 10ms\nloss.r2 = 1%\n"
	"[node h1]\neth0 = 10.1.0.1/24\n[node h2]\neth0 = 10.1.0.2/24\n"
	"[lan lan1]\nendpoints = h1:eth0 h2:eth0\nrate = 10mbit\n";

static struct topo *load_lab(void)
{
	return test_load_text(lab_ini);
}

static const struct topo_impair *iface_imp(const struct topo *t, const char *node,
					   const char *ifname)
{
	return &topo_iface_find(topo_node_find(t, node), ifname)->imp;
}

static int set(struct topo *t, const char *name, const char *key, const char *value, char *why,
	       size_t size)
{
	struct topo_diag d = { 0 };
	int r = topo_set_impair(t, name, key, value, &d);

	snprintf(why, size, "%s", d.n ? d.msgs[0] : "");
	topo_diag_clear(&d);
	return r;
}

int main(void)
{
	_cleanup_topo_ struct topo *t = load_lab();
	char why[256], buf[128];

	ok(TOPO_IMPF_COUNT == 7 && TOPO_IMP_NETEM == 0x3f && TOPO_IMP_RATE == 0x40,
	   "seven fields; netem carries all but rate");
	ok(topo_impair_field("reorder") == TOPO_IMPF_REORDER && topo_impair_field("speed") == -1,
	   "fields found by key");
	ok(strcmp(topo_impair_key_list, "delay, jitter, loss, duplicate, corrupt, reorder, rate") ==
		   0,
	   "key list: '%s'", topo_impair_key_list);
	for (int f = 0; f < TOPO_IMPF_COUNT; f++) {
		static const char *const sample[] = {
			[TOPO_UNIT_TIME] = "1.5ms", [TOPO_UNIT_PERCENT] = "2.5%", [TOPO_UNIT_RATE] = "2mbit"
		};
		static const double want[] = {
			[TOPO_UNIT_TIME] = 1500, [TOPO_UNIT_PERCENT] = 2.5, [TOPO_UNIT_RATE] = 2e6
		};
		struct topo_impair imp = { 0 };
		enum topo_unit u = topo_impair_info[f].unit;

		ok(topo_impair_set(&imp, topo_impair_info[f].key, sample[u]) == 0 &&
			   imp.set == 1u << f && imp.v[f] == want[u],
		   "%s = %s sets only its field", topo_impair_info[f].key, sample[u]);
	}
	if (!ok(t && t->diag.n == 0, "the test lab loads"))
		return tap_done();
	topo_impair_str(iface_imp(t, "r2", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "delay 10ms loss 1%") == 0,
	   "r2's end: the link's delay and its own loss ('%s')", buf);

	ok(set(t, "r1-r2", "delay", "20ms", why, sizeof(why)) == 0, "set delay on the link");
	topo_impair_str(iface_imp(t, "r1", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "delay 20ms") == 0, "both ends get it: r1 '%s'", buf);
	topo_impair_str(iface_imp(t, "r2", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "delay 20ms loss 1%") == 0, "r2 keeps its own loss: '%s'", buf);

	ok(set(t, "r1-r2", "loss.r1", "5%", why, sizeof(why)) == 0,
	   "set loss on one end (KEY.NODE)");
	topo_impair_str(iface_imp(t, "r1", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "delay 20ms loss 5%") == 0, "r1: '%s'", buf);

	ok(set(t, "r1-r2", "delay", "off", why, sizeof(why)) == 0, "off removes a field");
	topo_impair_str(iface_imp(t, "r1", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "loss 5%") == 0 && iface_imp(t, "r1", "eth0")->line != 0,
	   "r1: '%s', still marked in force", buf);

	ok(set(t, "lan1", "rate.h2", "1mbit", why, sizeof(why)) == 0, "a LAN member's own value");
	topo_impair_str(iface_imp(t, "h2", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "rate 1mbit") == 0, "h2: '%s'", buf);
	topo_impair_str(iface_imp(t, "h1", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "rate 10mbit") == 0, "h1 keeps the LAN's rate: '%s'", buf);

	ok(set(t, "r1-r2", "speed", "1ms", why, sizeof(why)) == -EINVAL &&
		   strstr(why, "is not one of delay, jitter"),
	   "unknown key: %s", why);
	ok(set(t, "r1-r2", "delay", "soon", why, sizeof(why)) == -EINVAL &&
		   strstr(why, "not a valid value"),
	   "bad value: %s", why);
	ok(set(t, "r1-r2", "loss", "200%", why, sizeof(why)) == -ERANGE &&
		   strstr(why, "out of range"),
	   "out of range: %s", why);
	ok(set(t, "nolink", "delay", "1ms", why, sizeof(why)) == -ENOENT &&
		   strstr(why, "no link or LAN called 'nolink'"),
	   "no such link: %s", why);
	ok(set(t, "r1-r2", "delay.h1", "1ms", why, sizeof(why)) == -ENOENT &&
		   strstr(why, "not an end of r1-r2"),
	   "not an end: %s", why);
	topo_impair_str(iface_imp(t, "r1", "eth0"), buf, sizeof(buf));
	ok(strcmp(buf, "loss 5%") == 0, "refused changes change nothing: '%s'", buf);

	/* link state (netlab link): the words the journal keeps, and the routes a cut link takes */
	{
		struct topo_diag d = { 0 };
		const struct topo_iface *r1 = topo_iface_find(topo_node_find(t, "r1"), "eth0");
		const struct topo_iface *r2 = topo_iface_find(topo_node_find(t, "r2"), "eth0");
		struct topo_route via = { .has_via = true }, dev = { 0 },
				  other = { .has_via = true };

		must(topo_prefix_parse("10.0.0.2", false, &via.via));
		must(topo_prefix_parse("10.9.0.1", false, &other.via));
		strcpy(dev.dev, "eth0");
		ok(topo_set_word(t, "r1-r2", "state.r2=down", &d) == 0 && r2->down && !r1->down &&
			   r1->cut && r2->cut,
		   "state.r2=down: r2's end down, both ends cut");
		ok(topo_route_cut(topo_node_find(t, "r1"), &via) &&
			   topo_route_cut(topo_node_find(t, "r1"), &dev),
		   "r1's routes through eth0 (by gateway, by dev) are cut");
		ok(!topo_route_cut(topo_node_find(t, "r1"), &other),
		   "a gateway on no interface's subnet is not");
		ok(topo_set_word(t, "r1-r2", "state=up", &d) == 0 && !r2->down && !r1->cut &&
			   !r2->cut,
		   "state=up: every end up");
		ok(topo_set_word(t, "lan1", "state.h1=down", &d) == 0 &&
			   topo_iface_find(topo_node_find(t, "h1"), "eth0")->down &&
			   !topo_iface_find(topo_node_find(t, "h2"), "eth0")->cut,
		   "a LAN member alone: the other members are not cut");
		ok(d.n == 0, "no message for good words");
		ok(topo_set_word(t, "r1-r2", "state=sideways", &d) == -EINVAL && d.n == 1,
		   "state=sideways refused");
		ok(topo_set_word(t, "r1-r2", "state.h1=down", &d) == -ENOENT && d.n == 2 &&
			   strstr(d.msgs[1], "'h1' is not an end of r1-r2"),
		   "an end of another link refused, with its reason");
		ok(topo_set_word(t, "r1-r2", "delay", &d) == -EINVAL && d.n == 3,
		   "a word without '=' refused");
		topo_diag_clear(&d);
	}
	return tap_done();
}
