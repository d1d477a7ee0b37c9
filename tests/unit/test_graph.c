/* test_graph.c: the drawings of format/topo_graph.c: DOT and Mermaid text, HTML escaping, marks for
 * links down and impaired. */
#include <string.h>

#include "topo_graph.h"
#include "load.h"
#include "tap.h"
#include "topo_set.h"
#include "util.h"

static const char lab_ini[] = "[lab]\nname = g\n"
			      "[node end]\nkind = router\neth0 = 10.0.0.1/30\n"
			      "[node h1]\neth0 = 10.0.0.2/30\n"
			      "[node s1]\nkind = switch\n"
			      "[node h2]\neth0 = 10.1.0.2/24\n"
			      "[link a]\nendpoints = end:eth0 h1:eth0\ndelay = 5ms\n"
			      "[link b]\nendpoints = h2:eth0 s1:p1\n";

static struct topo *load_lab(void)
{
	return test_load_text(lab_ini);
}

int main(void)
{
	_cleanup_topo_ struct topo *t = load_lab();
	_cleanup_strbuf_ struct strbuf dot = { 0 }, mm = { 0 }, html = { 0 }, down = { 0 };
	struct topo_diag d = { 0 };

	if (!ok(t && t->diag.n == 0, "the test lab loads (%s)",
		t && t->diag.n ? t->diag.msgs[0] : ""))
		return tap_done();
	/* what the loader cannot hold (iniparser has no escapes), set on the model */
	free(t->description);
	t->description = util_xstrdup("a \"quoted\" <b>lab</b> \\ here");
	graph_dot(t, &dot);
	ok(strncmp(strbuf_str(&dot), "graph \"g\" {\n", 12) == 0,
	   "an undirected DOT graph named after the lab");
	ok(strstr(strbuf_str(&dot), "label=\"lab g: a \\\"quoted\\\" <b>lab</b> \\\\ here\"") !=
		   NULL,
	   "quotes and backslashes escaped");
	ok(strstr(strbuf_str(&dot), "\"end\" [shape=ellipse") &&
		   strstr(strbuf_str(&dot), "\"s1\" [shape=box3d"),
	   "shapes by kind");
	ok(strstr(strbuf_str(&dot),
		  "\"end\" -- \"h1\" [label=\"a\\nend: delay 5ms; h1: delay 5ms\", taillabel=\"eth0\\n10.0.0.1/30\", "
		  "headlabel=\"eth0\\n10.0.0.2/30\", color=orange, penwidth=2];") != NULL,
	   "an impaired link: orange, its impairment per end");
	ok(strstr(strbuf_str(&dot),
		  "\"h2\" -- \"s1\" [label=\"b\", taillabel=\"eth0\\n10.1.0.2/24\", headlabel=\"p1\"];") !=
		   NULL,
	   "a switch port without addresses");

	graph_mermaid(t, &mm);
	ok(strstr(strbuf_str(&mm), "\tn0([\"end (router)\"])\n") != NULL,
	   "Mermaid: ids n0..., a node called 'end' only as a label");
	ok(strstr(strbuf_str(&mm),
		  "\tn0 ---|\"eth0 10.0.0.1/30 — eth0 10.0.0.2/30<br/>end: delay 5ms; h1: delay 5ms\"| n1\n"
		  "\tlinkStyle 0 stroke:orange") != NULL,
	   "Mermaid: labelled link, impaired in orange");

	graph_html(t, "<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>\n", &html);
	ok(strstr(strbuf_str(&html), "<?xml") == NULL &&
		   strstr(strbuf_str(&html), "<svg width=\"1\"></svg>"),
	   "HTML: the SVG inline, without its prologue");
	ok(strstr(strbuf_str(&html),
		  "<p>a &quot;quoted&quot; &lt;b&gt;lab&lt;/b&gt; \\ here</p>") != NULL,
	   "HTML: the description escaped");

	ok(topo_set_word(t, "a", "state.h1=down", &d) == 0, "h1's end of a down");
	graph_dot(t, &down);
	ok(strstr(strbuf_str(&down), "[label=\"a\\n(h1 down)\\nend: delay 5ms; h1: delay 5ms\"") &&
		   strstr(strbuf_str(&down), "style=dashed, color=red, fontcolor=red];"),
	   "a link down: dashed red, which end said");
	topo_diag_clear(&d);
	return tap_done();
}
