/* image.c: `netlab image build NAME [--packages P,...]`, `netlab image list [--json]`, `netlab
 * image rm NAME`: node images (lab/lab_image.h), root's or, without root, the user's own (main.c
 * runs build and list in a user namespace of the user's, rm in the user's holder); rm is refused
 * while a lab that is up uses the image. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lab_image.h"
#include "out.h"
#include "util.h"

static int image_build_cmd(const struct cmd_args *a, const char *name)
{
	int r;

	if (!a->packages && !image_recipe(name))
		return cmd_usage_error(
			"image",
			"no recipe is called '%s' (base, frr): give its packages (--packages P,...)",
			name);
	r = image_build(name, a->packages);
	if (r == -EEXIST) {
		util_log("image %s is built already ('netlab image rm %s' first)", name, name);
		return EXIT_FAIL;
	}
	if (r < 0)
		return EXIT_FAIL;
	printf("image %s built\n", name);
	return EXIT_OK;
}

static int image_list_cmd(const struct cmd_args *a)
{
	struct image_info *v = NULL;
	struct out o = { .j = { .f = stdout }, .json = a->json };
	int n = image_list(&v);

	if (n < 0)
		return cmd_fail(n, "image list: cannot read '%s'", image_dir());
	out_begin(&o, NULL, '[');
	for (int i = 0; i < n; i++) {
		char when[32] = "?";
		struct tm tm;

		if (v[i].built && localtime_r(&v[i].built, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		out_begin(&o, NULL, '{');
		out_str(&o, "name", "%-16s", v[i].name);
		out_int(&o, "bytes", " %6lld MiB", (long long)(v[i].bytes >> 20));
		out_str(&o, "built", " built %s", when);
		out_str(&o, "packages", ": %s\n", v[i].packages);
		out_end(&o, '}');
	}
	out_end(&o, ']');
	if (!n && !a->json)
		printf("no image is built (netlab image build base)\n");
	image_list_free(v, (size_t)n);
	return EXIT_OK;
}

static int image_rm_cmd(const char *name)
{
	_cleanup_free_ char *user = NULL;
	int r;

	if ((r = lab_image_user(name, &user)) < 0)
		return cmd_fail(r, "image rm: cannot read the labs that are up");
	if (user) {
		util_log("image rm: lab %s uses image %s: take it down first", user, name);
		return EXIT_FAIL;
	}
	r = image_remove(name);
	if (r == -ENOENT) {
		util_log("image rm: no image is called '%s' (netlab image list)", name);
		return EXIT_USAGE;
	}
	if (r < 0)
		return EXIT_FAIL;
	printf("image %s removed\n", name);
	return EXIT_OK;
}

int cmd_image(const struct cmd_args *a)
{
	const char *verb = a->argc ? a->argv[0] : "";
	bool named = !strcmp(verb, "build") || !strcmp(verb, "rm");

	if (!named && strcmp(verb, "list") != 0)
		return cmd_usage_error("image", "expected build NAME, list or rm NAME");
	if ((named && a->argc != 2) || (!named && a->argc != 1))
		return cmd_usage_error("image",
				       named ? "%s: give one image name" : "%s: no argument", verb);
	if (named && !topo_lab_name_valid(a->argv[1], TOPO_NAME_MAX))
		return cmd_usage_error(
			"image",
			"'%s' is no image name (1-64 of A-Z a-z 0-9 - _ ., starting with a letter or digit)",
			a->argv[1]);
	if (a->packages && strcmp(verb, "build") != 0)
		return cmd_usage_error("image", "--packages: only for build");
	if (a->json && strcmp(verb, "list") != 0)
		return cmd_usage_error("image", "--json: only for list");
	if (!strcmp(verb, "build"))
		return image_build_cmd(a, a->argv[1]);
	if (!strcmp(verb, "rm"))
		return image_rm_cmd(a->argv[1]);
	return image_list_cmd(a);
}
