/* topo_graph.h: drawings of a lab from its model alone (pure): Graphviz DOT, Mermaid, and a
 * self-contained HTML page around an SVG (which cmd/graph.c gets from Graphviz's dot). Nodes are
 * drawn by kind, links labelled with their interfaces and addresses at each end, LANs as segments;
 * a link with an end down (topo_iface.down/cut, on a running lab) is dashed red, an impaired one
 * orange with its impairment. */
#ifndef NETLAB_TOPO_GRAPH_H
#define NETLAB_TOPO_GRAPH_H

#include "strbuf.h"
#include "topo.h"

void graph_dot(const struct topo *t, struct strbuf *out);
void graph_mermaid(const struct topo *t, struct strbuf *out);
/* svg: dot's output (its XML prologue is dropped); the page also lists the links as a table. */
void graph_html(const struct topo *t, const char *svg, struct strbuf *out);

#endif
