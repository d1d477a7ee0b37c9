/* topo_graph.c: drawings of a lab (see topo_graph.h). */
#include <string.h>

#include "topo_graph.h"
#include "util.h"

/* What a link looks like: which ends are down, its impairment (either end's, as text). */
struct look {
	bool cut;
	char down[2 * TOPO_NAME_MAX + 16]; /* "down" or "NODE down" */
	char imp[160];
};

static const struct topo_iface *end_iface(const struct topo *t, const struct topo_link *l, int e)
{
	return topo_iface_find(&t->nodes[l->ends[e].node], l->ends[e].ifname);
}

static void link_look(const struct topo *t, const struct topo_link *l, struct look *k)
{
	const struct topo_iface *ifc[2] = { end_iface(t, l, 0), end_iface(t, l, 1) };

	memset(k, 0, sizeof(*k));
	k->cut = ifc[0]->cut || ifc[1]->cut;
	if (ifc[0]->down && ifc[1]->down)
		snprintf(k->down, sizeof(k->down), "down");
	else if (k->cut)
		snprintf(k->down, sizeof(k->down), "%s down",
			 l->ends[ifc[0]->down ? 0 : 1].node_name);
	for (int e = 0; e < 2; e++) {
		char s[128];

		if (!ifc[e]->imp.set)
			continue;
		topo_impair_str(&ifc[e]->imp, s, sizeof(s));
		snprintf(k->imp + strlen(k->imp), sizeof(k->imp) - strlen(k->imp), "%s%s%s%s",
			 k->imp[0] ? "; " : "", l->lan ? "" : l->ends[e].node_name,
			 l->lan ? "" : ": ", s);
		if (l->lan)
			break; /* a member's link: its egress is the member's */
	}
}

/* The interface's name and addresses, separated by sep. */
static void iface_text(const struct topo_iface *ifc, const char *sep, struct strbuf *out)
{
	char b[64];

	strbuf_addf(out, "%s", ifc->name);
	for (size_t a = 0; a < ifc->n_addrs; a++)
		strbuf_addf(out, "%s%s", sep,
			    topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)));
}

/* s as the inside of a DOT string. */
static void dot_str(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addf(out, "\\%c", *s);
		else if (*s == '\n')
			strbuf_addf(out, "\\n");
		else
			strbuf_addf(out, "%c", *s);
	}
}

static const char *const dot_shape[] = {
	[TOPO_HOST] = "shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\"",
	[TOPO_ROUTER] = "shape=ellipse, style=filled, fillcolor=\"#fde9c9\"",
	[TOPO_SWITCH] = "shape=box3d, style=filled, fillcolor=\"#e6f4ea\"",
	[TOPO_LAN] =
		"shape=box, style=filled, fillcolor=\"#555555\", fontcolor=white, height=0.2, width=2.5",
};

void graph_dot(const struct topo *t, struct strbuf *out)
{
	strbuf_addf(out, "graph \"");
	dot_str(t->name, out);
	strbuf_addf(out, "\" {\n\tgraph [label=\"lab ");
	dot_str(t->name, out);
	if (t->description) {
		strbuf_addf(out, ": ");
		dot_str(t->description, out);
	}
	strbuf_addf(
		out,
		"\", labelloc=t, fontname=Helvetica, overlap=false, ranksep=1.4, nodesep=1.2];\n"
		"\tnode [fontname=Helvetica];\n\tedge [fontname=Helvetica, fontsize=9, labelfontsize=9, labeldistance=2.5, labelangle=30];\n");
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		strbuf_addf(out, "\t\"%s\" [%s, label=\"%s\\n(%s)\"];\n", n->name,
			    dot_shape[n->kind], n->name, topo_kind_str(n->kind));
	}
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		_cleanup_strbuf_ struct strbuf tail = { 0 }, head = { 0 };
		struct look k;

		link_look(t, l, &k);
		iface_text(end_iface(t, l, 0), "\n", &tail);
		if (!l->lan)
			iface_text(end_iface(t, l, 1), "\n", &head);
		strbuf_addf(out, "\t\"%s\" -- \"%s\" [label=\"", l->ends[0].node_name,
			    l->ends[1].node_name);
		dot_str(l->lan ? "" : l->name, out);
		if (k.cut)
			strbuf_addf(out, "%s(%s)", l->lan ? "" : "\\n", k.down);
		if (k.imp[0]) {
			strbuf_addf(out, "\\n");
			dot_str(k.imp, out);
		}
		strbuf_addf(out, "\", taillabel=\"");
		dot_str(strbuf_str(&tail), out);
		strbuf_addf(out, "\", headlabel=\"");
		dot_str(strbuf_str(&head), out);
		strbuf_addf(out, "\"%s%s];\n",
			    k.cut ? ", style=dashed, color=red, fontcolor=red" : "",
			    !k.cut && k.imp[0] ? ", color=orange, penwidth=2" : "");
	}
	strbuf_addf(out, "}\n");
}

/* s inside a Mermaid "..." label. */
static void mermaid_str(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addf(out, "#quot;");
		else if (*s == '\n')
			strbuf_addf(out, "<br/>");
		else if (*s == '<' || *s == '>' || *s == '#' || *s == '|')
			strbuf_addf(out, "#%d;", *s);
		else
			strbuf_addf(out, "%c", *s);
	}
}

void graph_mermaid(const struct topo *t, struct strbuf *out)
{
	static const char *const open[] = {
		[TOPO_HOST] = "[", [TOPO_ROUTER] = "([", [TOPO_SWITCH] = "{{", [TOPO_LAN] = "[/"
	};
	static const char *const close[] = {
		[TOPO_HOST] = "]", [TOPO_ROUTER] = "])", [TOPO_SWITCH] = "}}", [TOPO_LAN] = "/]"
	};

	strbuf_addf(out, "---\ntitle: \"lab ");
	mermaid_str(t->name, out);
	strbuf_addf(out, "\"\n---\ngraph LR\n");
	/* ids n0, n1...: a node may be called "end" or "graph", words Mermaid keeps for itself */
	for (size_t i = 0; i < t->n_nodes; i++) {
		strbuf_addf(out, "\tn%zu%s\"%s (%s)\"%s\n", i, open[t->nodes[i].kind],
			    t->nodes[i].name, topo_kind_str(t->nodes[i].kind),
			    close[t->nodes[i].kind]);
	}
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		_cleanup_strbuf_ struct strbuf label = { 0 };
		struct look k;

		link_look(t, l, &k);
		iface_text(end_iface(t, l, 0), " ", &label);
		if (!l->lan) {
			strbuf_addf(&label, " — ");
			iface_text(end_iface(t, l, 1), " ", &label);
		}
		if (k.cut)
			strbuf_addf(&label, "\n(%s)", k.down);
		if (k.imp[0])
			strbuf_addf(&label, "\n%s", k.imp);
		strbuf_addf(out, "\tn%zu %s|\"", l->ends[0].node, k.cut ? "-.-" : "---");
		mermaid_str(strbuf_str(&label), out);
		strbuf_addf(out, "\"| n%zu\n", l->ends[1].node);
		if (k.cut || k.imp[0])
			strbuf_addf(out, "\tlinkStyle %zu stroke:%s,stroke-width:2px\n", i,
				    k.cut ? "red" : "orange");
	}
}

static void html_str(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			strbuf_addf(out, "&lt;");
			break;
		case '>':
			strbuf_addf(out, "&gt;");
			break;
		case '&':
			strbuf_addf(out, "&amp;");
			break;
		case '"':
			strbuf_addf(out, "&quot;");
			break;
		default:
			strbuf_addf(out, "%c", *s);
		}
	}
}

void graph_html(const struct topo *t, const char *svg, struct strbuf *out)
{
	const char *start = strstr(svg, "<svg");

	strbuf_addf(
		out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>netlab: lab ");
	html_str(t->name, out);
	strbuf_addf(
		out,
		"</title>\n<style>\n"
		"body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }\n"
		"#graph svg { max-width: 100%%; height: auto; }\n"
		"table { border-collapse: collapse; margin-top: 1em; }\n"
		"td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }\n"
		".down { color: #c00; } .impaired { color: #b60; }\n"
		"</style>\n</head>\n<body>\n<h1>lab ");
	html_str(t->name, out);
	strbuf_addf(out, "</h1>\n");
	if (t->description) {
		strbuf_addf(out, "<p>");
		html_str(t->description, out);
		strbuf_addf(out, "</p>\n");
	}
	strbuf_addf(
		out,
		"<div id=\"graph\">\n%s</div>\n<table>\n<tr><th>link</th><th>end</th><th>end</th><th>state</th></tr>\n",
		start ? start : "");
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		struct look k;

		link_look(t, l, &k);
		strbuf_addf(out, "<tr><td>");
		html_str(l->lan ? l->ends[1].node_name : l->name, out);
		for (int e = 0; e < 2; e++) {
			_cleanup_strbuf_ struct strbuf s = { 0 };

			strbuf_addf(&s, "%s:", l->ends[e].node_name);
			if (e == 0 || !l->lan)
				iface_text(end_iface(t, l, e), " ", &s);
			strbuf_addf(out, "</td><td>");
			html_str(strbuf_str(&s), out);
		}
		if (k.cut) {
			strbuf_addf(out, "</td><td class=\"down\">");
			html_str(k.down, out);
		} else {
			strbuf_addf(out, "</td><td class=\"%s\">", k.imp[0] ? "impaired" : "");
			html_str(k.imp[0] ? k.imp : "up", out);
		}
		strbuf_addf(out, "</td></tr>\n");
	}
	/* the drawing's size once laid out, for tests in a headless browser (--dump-dom) */
	strbuf_addf(
		out,
		"</table>\n<script>\nwindow.addEventListener('load', function () {\n"
		"\tvar s = document.querySelector('#graph svg'), b = s ? s.getBBox() : { width: 0, height: 0 };\n"
		"\tdocument.body.setAttribute('data-rendered', Math.round(b.width) + 'x' + Math.round(b.height));\n"
		"});\n</script>\n</body>\n</html>\n");
}
