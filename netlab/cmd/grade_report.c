/* grade_report.c: a graded class written out: a text table, report.csv (a row per submission),
 * report.html (one self-contained page: the class at a glance, sortable, each submission's
 * failures with what was expected and seen) and junit.xml (a test suite per submission). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"
#include "out.h"
#include "util.h"

void grade_report_text(FILE *f, const struct grade_class *c)
{
	unsigned long total = 0, max = 0;

	fprintf(f, "%-40s %9s %6s %6s %11s %8s  %s\n", "SUBMISSION", "POINTS", "PASSED", "FAILED",
		"NOT_CHECKED", "SECONDS", "NOTE");
	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];
		char pts[32];

		snprintf(pts, sizeof(pts), "%u/%u", s->points, s->max_points);
		fprintf(f, "%-40s %9s %6u %6u %11u %8.1f  %s\n", s->path, pts, s->passed, s->failed,
			s->not_checked, s->seconds, s->problem ? s->problem : "");
		total += s->points;
		max = s->max_points;
	}
	fprintf(f, "%zu submission%s graded, mean %.1f of %lu points\n", c->n, c->n == 1 ? "" : "s",
		c->n ? (double)total / (double)c->n : 0.0, max);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void csv_field(FILE *f, const char *s, bool last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else if (s) {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static void write_csv(FILE *f, const struct grade_class *c)
{
	fputs("submission,passed,failed,not_checked,points,max_points,seconds,", f);
	for (size_t k = 0; k < c->tests->n_tests; k++)
		csv_field(f, c->tests->tests[k].name, false);
	csv_field(f, "note", true);
	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];

		csv_field(f, s->path, false);
		fprintf(f, "%u,%u,%u,%u,%u,%.1f,", s->passed, s->failed, s->not_checked, s->points,
			s->max_points, s->seconds);
		for (size_t k = 0; k < c->tests->n_tests; k++)
			fprintf(f, "%u,", s->sec ? s->sec[k].points : 0);
		csv_field(f, s->problem ? s->problem : "", true);
	}
}

static void xml_text(FILE *f, const char *s)
{
	out_xml_quote(f, s, false);
}

static void xml_attr(FILE *f, const char *s)
{
	out_xml_quote(f, s, true);
}

static void write_junit(FILE *f, const struct grade_class *c)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"netlab grade\">\n",
	      f);
	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];

		fputs("  <testsuite name=\"", f);
		xml_attr(f, s->path);
		fprintf(f, "\" tests=\"%zu\" failures=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
			s->n_res, s->failed, s->not_checked, s->seconds);
		for (size_t k = 0; k < s->n_res; k++) {
			const struct grade_result *r = &s->res[k];

			fputs("    <testcase classname=\"", f);
			xml_attr(f, c->tests->tests[r->section].name);
			fputs("\" name=\"", f);
			xml_attr(f, r->assertion);
			if (r->ok) {
				fputs("\"/>\n", f);
				continue;
			}
			fprintf(f, "\">\n      <%s message=\"", r->checked ? "failure" : "skipped");
			if (r->expected) {
				fputs("expected: ", f);
				xml_attr(f, r->expected);
				fputs("&#10;", f);
			}
			fputs("seen: ", f);
			xml_attr(f, r->detail ? r->detail : "-");
			fputs("\"/>\n    </testcase>\n", f);
		}
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
}

/* The page's style and its table sorter (click a column's head), inline: the page is one file. */
static const char html_head[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>netlab grade</title>\n"
	"<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
	"th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{cursor:pointer;"
	"background:#eee}td.num{text-align:right}tr.zero td{background:#fdd}"
	"tr.full td{background:#dfd}pre{white-space:pre-wrap;margin:.2em 0}"
	".bar{display:inline-block;background:#48c;height:1em}</style>\n"
	"<script>function sortBy(th){const t=th.closest('table'),i=[...th.parentNode.children]"
	".indexOf(th),rows=[...t.tBodies[0].rows],dir=th.dataset.dir==='a'?'d':'a';"
	"th.dataset.dir=dir;rows.sort((a,b)=>{const x=a.cells[i].dataset.v??a.cells[i]"
	".textContent,y=b.cells[i].dataset.v??b.cells[i].textContent,nx=parseFloat(x),"
	"ny=parseFloat(y),c=isNaN(nx)||isNaN(ny)?x.localeCompare(y):nx-ny;return dir==='a'?c:-c});"
	"rows.forEach(r=>t.tBodies[0].appendChild(r))}</script>\n</head><body>\n";

static void write_html(FILE *f, const struct grade_class *c)
{
	unsigned int max = 0, hist[11] = { 0 };
	unsigned long total = 0;
	size_t full = 0, zero = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];

		max = s->max_points > max ? s->max_points : max;
		total += s->points;
		full += s->max_points && s->points == s->max_points;
		zero += s->points == 0;
	}
	for (size_t i = 0; i < c->n; i++)
		hist[max ? c->subs[i].points * 10 / max : 0]++;
	fputs(html_head, f);
	fprintf(f,
		"<h1>netlab grade</h1>\n<p id=\"summary\">%zu submissions; mean %.1f of %u points; "
		"%zu with every point, %zu with none.</p>\n",
		c->n, c->n ? (double)total / (double)c->n : 0.0, max, full, zero);
	fputs("<table id=\"spread\"><tr><th>points (tenths of the maximum)</th><th>submissions</th>"
	      "</tr>\n",
	      f);
	for (int b = 10; b >= 0; b--)
		fprintf(f,
			"<tr><td>%d%%</td><td><span class=\"bar\" style=\"width:%zupx\"></span> %u</td>"
			"</tr>\n",
			b * 10, (size_t)hist[b] * 12, hist[b]);
	fputs("</table>\n<h2>Submissions</h2>\n<table id=\"class\"><thead><tr>"
	      "<th onclick=\"sortBy(this)\">submission</th><th onclick=\"sortBy(this)\">points</th>"
	      "<th onclick=\"sortBy(this)\">passed</th><th onclick=\"sortBy(this)\">failed</th>"
	      "<th onclick=\"sortBy(this)\">not checked</th><th onclick=\"sortBy(this)\">seconds</th>",
	      f);
	for (size_t k = 0; k < c->tests->n_tests; k++) {
		fputs("<th onclick=\"sortBy(this)\">", f);
		xml_text(f, c->tests->tests[k].name);
		fputs("</th>", f);
	}
	fputs("<th onclick=\"sortBy(this)\">note</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];

		fprintf(f, "<tr class=\"%s\"><td><a href=\"#s%zu\">",
			s->points == 0		   ? "zero" :
			s->points == s->max_points ? "full" :
						     "part",
			i + 1);
		xml_text(f, s->path);
		fprintf(f,
			"</a></td><td class=\"num\" data-v=\"%u\">%u/%u</td><td class=\"num\">%u</td>"
			"<td class=\"num\">%u</td><td class=\"num\">%u</td><td class=\"num\">%.1f</td>",
			s->points, s->points, s->max_points, s->passed, s->failed, s->not_checked,
			s->seconds);
		for (size_t k = 0; k < c->tests->n_tests; k++)
			fprintf(f, "<td class=\"num\" data-v=\"%u\">%u/%u</td>", s->sec[k].points,
				s->sec[k].points, s->sec[k].max_points);
		fputs("<td>", f);
		xml_text(f, s->problem);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n<h2>Failures</h2>\n", f);
	for (size_t i = 0; i < c->n; i++) {
		const struct grade_sub *s = &c->subs[i];

		fprintf(f, "<details id=\"s%zu\"%s><summary>", i + 1,
			s->points < s->max_points ? " open" : "");
		xml_text(f, s->path);
		fprintf(f, ": %u of %u points</summary>\n<ul>\n", s->points, s->max_points);
		for (size_t k = 0; k < s->n_res; k++) {
			const struct grade_result *r = &s->res[k];

			if (r->ok)
				continue;
			fputs("<li class=\"failure\">[", f);
			xml_text(f, c->tests->tests[r->section].name);
			fputs("] ", f);
			xml_text(f, r->assertion);
			if (r->expected) {
				fputs("<pre>expected: ", f);
				xml_text(f, r->expected);
				fputs("</pre>", f);
			}
			fputs("<pre>seen: ", f);
			xml_text(f, r->detail ? r->detail : "-");
			fputs("</pre></li>\n", f);
		}
		fputs("</ul></details>\n", f);
	}
	fputs("</body></html>\n", f);
}

/* Writes dir/name atomically with fn. */
static int write_one(const char *dir, const char *name, const struct grade_class *c,
		     void (*fn)(FILE *f, const struct grade_class *c))
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, name);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return log_errno(-errno, "grade: cannot write '%s'", path);
	fn(f, c);
	fclose(f);
	r = util_write_file_atomic(path, text, len, 0644);
	free(text);
	if (r < 0)
		return log_errno(r, "grade: cannot write '%s'", path);
	return 0;
}

int grade_report_write(const struct grade_class *c, const char *dir)
{
	int r;

	if ((r = write_one(dir, "report.csv", c, write_csv)) < 0 ||
	    (r = write_one(dir, "report.html", c, write_html)) < 0 ||
	    (r = write_one(dir, "junit.xml", c, write_junit)) < 0)
		return r;
	return 0;
}
