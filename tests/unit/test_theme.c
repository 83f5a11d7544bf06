/* Unit tests: roles, colours, theme files (shipped, good, broken) and the
 * 256 -> 8 -> mono degradation. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/paths.h"
#include "core/theme.h"
#include "core/xalloc.h"
#include "tests/unit/golden.h"
#include "tests/unit/t.h"

static const char *const shipped[] = { "default", "light", "high-contrast", "mono", "terminal" };

/* The shipped file, parsed over the built-in defaults. */
static int
load_shipped(struct theme *t, const char *name, struct diag *dg)
{
	char *path = xasprintf("%s/themes/%s.theme", getenv("SCRY_TOP") ? getenv("SCRY_TOP") : ".", name);
	int rc = theme_load(t, path, dg);
	free(path);
	return rc;
}

TEST(theme_role_names_roundtrip)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		CHECK(role_name((enum role)r) != NULL);
		CHECK_INT(role_from_name(role_name((enum role)r)), r);
	}
	CHECK_INT(role_from_name("nonsense"), -1);
	CHECK_STR(role_name((enum role)ROLE_COUNT), "?");
	CHECK_INT(ROLE_SERIES(0), ROLE_SERIES1);
	CHECK_INT(ROLE_SERIES(9), ROLE_SERIES2);
	CHECK_INT(ROLE_HEAT(-4), ROLE_HEAT1);
	CHECK_INT(ROLE_HEAT(42), ROLE_HEAT8);
}

TEST(theme_default_file_equals_builtin)
{
	struct theme builtin, file;
	struct diag dg;

	theme_default(&builtin);
	diag_init(&dg);
	CHECK_INT(load_shipped(&file, "default", &dg), 0);
	CHECK_INT(dg.n, 0);
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (builtin.role[r].fg != file.role[r].fg || builtin.role[r].bg != file.role[r].bg ||
		    builtin.role[r].attr != file.role[r].attr)
			t_fail(__FILE__, __LINE__, "role %s: file %d/%d/%d, built-in %d/%d/%d",
			    role_name((enum role)r), file.role[r].fg, file.role[r].bg, file.role[r].attr,
			    builtin.role[r].fg, builtin.role[r].bg, builtin.role[r].attr);
	}
	CHECK_STR(file.name, "default");
	theme_free(&builtin);
	theme_free(&file);
	diag_free(&dg);
}

TEST(theme_shipped_files_are_clean_and_complete)
{
	for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
		struct theme t;
		struct diag dg;
		char *rel = xasprintf("../../themes/%s.theme", shipped[i]), *text;
		size_t len;

		diag_init(&dg);
		if (load_shipped(&t, shipped[i], &dg) != 0 || dg.n)
			t_fail(__FILE__, __LINE__, "%s: %s", shipped[i], dg.n ? dg.e[0].msg : "failed");
		CHECK_STR(t.name, shipped[i]);
		/* every role is written out, so the file documents all of them */
		text = golden_read(rel, &len);
		CHECK(text != NULL);
		for (int r = 0; text && r < ROLE_COUNT; r++) {
			char *needle = xasprintf("\n%s ", role_name((enum role)r));
			if (!strstr(text, needle))
				t_fail(__FILE__, __LINE__, "%s.theme does not set role %s", shipped[i],
				    role_name((enum role)r));
			free(needle);
		}
		free(text);
		free(rel);
		theme_free(&t);
		diag_free(&dg);
	}
}

TEST(theme_terminal_uses_only_16_colours)
{
	struct theme t;
	struct diag dg;

	diag_init(&dg);
	CHECK_INT(load_shipped(&t, "terminal", &dg), 0);
	for (int r = 0; r < ROLE_COUNT; r++) {
		CHECK(t.role[r].fg >= COLOR_DEFAULT && t.role[r].fg < 16);
		CHECK(t.role[r].bg >= COLOR_DEFAULT && t.role[r].bg < 16);
	}
	theme_free(&t);
	diag_free(&dg);
}

TEST(theme_mono_has_no_colour_but_distinct_roles)
{
	struct theme t;
	struct diag dg;

	diag_init(&dg);
	CHECK_INT(load_shipped(&t, "mono", &dg), 0);
	for (int r = 0; r < ROLE_COUNT; r++) {
		CHECK_INT(t.role[r].fg, COLOR_DEFAULT);
		CHECK_INT(t.role[r].bg, COLOR_DEFAULT);
	}
	CHECK(t.role[ROLE_FOCUS].attr != t.role[ROLE_BORDER].attr);
	CHECK(t.role[ROLE_SELECTION].attr & CA_REVERSE);
	CHECK(t.role[ROLE_ERROR].attr & CA_BOLD);
	theme_free(&t);
	diag_free(&dg);
}

TEST(theme_light_differs_from_dark)
{
	struct theme d, l;
	struct diag dg;

	theme_default(&d);
	diag_init(&dg);
	CHECK_INT(load_shipped(&l, "light", &dg), 0);
	CHECK(l.role[ROLE_TITLE].fg != d.role[ROLE_TITLE].fg);
	CHECK(l.role[ROLE_STATUSBAR].bg != d.role[ROLE_STATUSBAR].bg);
	theme_free(&d);
	theme_free(&l);
	diag_free(&dg);
}

TEST(theme_good_forms)
{
	struct theme t;
	struct diag dg;
	char *text;
	size_t len;

	theme_default(&t);
	diag_init(&dg);
	text = golden_read("themes/good/forms.theme", &len);
	CHECK(text != NULL);
	CHECK_INT(theme_parse(&t, text, len, "forms.theme", &dg), 0);
	CHECK_INT(dg.n, 0);
	CHECK_STR(t.name, "custom");
	CHECK_INT(t.role[ROLE_TITLE].fg, 208);		/* #ff8800 -> cube */
	CHECK_INT(t.role[ROLE_TITLE].bg, COLOR_DEFAULT);
	CHECK_INT(t.role[ROLE_TITLE].attr, CA_BOLD | CA_UNDERLINE);
	CHECK_INT(t.role[ROLE_BORDER].fg, 12);
	CHECK_INT(t.role[ROLE_BORDER].attr, 0);
	CHECK_INT(t.role[ROLE_FOCUS].fg, 81);
	CHECK_INT(t.role[ROLE_FOCUS].bg, 24);
	CHECK_INT(t.role[ROLE_FOCUS].attr, CA_REVERSE);
	CHECK_INT(t.role[ROLE_AXIS].fg, 8);
	CHECK_INT(t.role[ROLE_OK].bg, 0);
	CHECK_INT(t.role[ROLE_WARN].fg, 3);
	CHECK_INT(t.role[ROLE_WARN].attr, CA_BOLD);
	CHECK_INT(t.role[ROLE_ERROR].attr, CA_BOLD | CA_ITALIC);
	/* roles the file does not name keep the built-in style */
	CHECK_INT(t.role[ROLE_GRID].fg, 237);
	free(text);
	theme_free(&t);
	diag_free(&dg);
}

TEST(theme_broken_files)
{
	char **names = golden_list("themes/bad", ".theme");
	size_t n = 0;

	for (size_t i = 0; names[i]; i++, n++) {
		struct theme t;
		struct diag dg;
		char *rel = xasprintf("themes/bad/%s", names[i]), *text, *got, *err;
		size_t len;
		int rc;

		theme_default(&t);
		diag_init(&dg);
		text = golden_read(rel, &len);
		rc = theme_parse(&t, text, len, names[i], &dg);
		got = diag_join(&dg);
		err = xasprintf("%.*s.err", (int)(strlen(rel) - 6), rel);
		{
			char *full = xasprintf("%s\n", got);
			GOLDEN(err, full);
			free(full);
		}
		/* an error fails the load; warnings alone do not */
		CHECK_INT(rc, dg.nerrors ? -1 : 0);
		CHECK(dg.n > 0);
		free(err);
		free(got);
		free(text);
		free(rel);
		theme_free(&t);
		diag_free(&dg);
	}
	CHECK(n >= 8);
	golden_list_free(names);
}

TEST(theme_load_by_name_from_config_dir)
{
	char dir[] = "/tmp/scry-theme-XXXXXX", *p, *old = getenv("XDG_CONFIG_HOME") ?
	    xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;
	struct theme t;
	struct diag dg;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	p = xasprintf("%s/scry", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/scry/themes", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/scry/themes/mine.theme", dir);
	f = fopen(p, "w");
	fputs("title = red\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	diag_init(&dg);
	CHECK_INT(theme_load(&t, "mine", &dg), 0);
	CHECK_INT(t.role[ROLE_TITLE].fg, 1);
	CHECK_STR(t.name, "mine");
	theme_free(&t);
	CHECK_INT(theme_load(&t, "absent", &dg), -1);
	CHECK_CONTAINS(diag_first_error(&dg), "theme 'absent' not found");
	theme_free(&t);
	unlink(p);
	free(p);
	p = xasprintf("%s/scry/themes", dir);
	rmdir(p);
	free(p);
	p = xasprintf("%s/scry", dir);
	rmdir(p);
	free(p);
	rmdir(dir);
	if (old)
		setenv("XDG_CONFIG_HOME", old, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(old);
	diag_free(&dg);
}

TEST(theme_builtin_names)
{
	struct theme t;
	struct diag dg;

	diag_init(&dg);
	CHECK_INT(theme_load(&t, "default", &dg), 0);
	CHECK_STR(t.name, "default");
	theme_free(&t);
	CHECK_INT(theme_load(&t, "dark", &dg), 0);
	theme_free(&t);
	CHECK_INT(dg.n, 0);
	diag_free(&dg);
}

TEST(color_parse_forms)
{
	static const struct { const char *s; int want; } ok[] = {
		{ "default", -1 }, { "-", -1 }, { "black", 0 }, { "red", 1 }, { "white", 7 },
		{ "bright-black", 8 }, { "bright-white", 15 }, { "gray", 8 }, { "grey", 8 },
		{ "0", 0 }, { "255", 255 }, { "#000000", 16 }, { "#ffffff", 231 },
		{ "#ff0000", 196 }, { "#00ff00", 46 }, { "#0000ff", 21 }, { "#5f87af", 67 },
	};
	static const char *const bad[] = { "256", "-1", "#fff", "#gggggg", "reddish", "", "1.5",
		"bright", "0x10" };
	int16_t c;

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		c = 999;
		CHECK_INT(color_parse(ok[i].s, &c), 0);
		if (c != ok[i].want)
			t_fail(__FILE__, __LINE__, "color_parse(%s) = %d, expected %d", ok[i].s, c, ok[i].want);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (color_parse(bad[i], &c) != -1)
			t_fail(__FILE__, __LINE__, "color_parse(%s) accepted", bad[i]);
}

TEST(color_to_8_nearest)
{
	static const struct { int c, want; } m[] = {
		{ -1, -1 }, { 0, 0 }, { 7, 7 }, { 9, 1 }, { 15, 7 }, { 16, 0 }, { 196, 1 },
		{ 46, 2 }, { 21, 4 }, { 226, 3 }, { 201, 5 }, { 51, 6 }, { 231, 7 }, { 232, 0 },
		{ 244, 7 }, { 240, 0 }, { 255, 7 }, { 17, 4 }, { 19, 4 }, { 141, 4 }, { 205, 5 }, { 114, 2 }, { 250, 7 }, { 237, 0 }, { 214, 3 }, { 81, 6 },
		{ 203, 1 }, { 300, 7 },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (color_to_8(m[i].c) != m[i].want)
			t_fail(__FILE__, __LINE__, "color_to_8(%d) = %d, expected %d", m[i].c,
			    color_to_8(m[i].c), m[i].want);
}

TEST(theme_style_degrades)
{
	struct theme t;
	struct style s;

	theme_default(&t);
	/* 256 colours: as written */
	s = theme_style(&t, ROLE_FOCUS, CM_256);
	CHECK_INT(s.fg, 81);
	CHECK_INT(s.attr, CA_BOLD);
	/* 8 colours: the nearest basic colour, attributes kept */
	s = theme_style(&t, ROLE_FOCUS, CM_8);
	CHECK_INT(s.fg, 6);
	CHECK_INT(s.attr, CA_BOLD);
	for (int r = 0; r < ROLE_COUNT; r++) {
		s = theme_style(&t, (enum role)r, CM_8);
		CHECK(s.fg >= -1 && s.fg < 8 && s.bg >= -1 && s.bg < 8);
		CHECK(s.fg < 0 || s.fg != s.bg);	/* never invisible text */
	}
	/* dark greys on the default background do not vanish */
	s = theme_style(&t, ROLE_BORDER, CM_8);
	CHECK_INT(s.fg, COLOR_DEFAULT);
	CHECK(s.attr & CA_DIM);
	/* warn and error stay apart */
	CHECK(theme_style(&t, ROLE_WARN, CM_8).fg != theme_style(&t, ROLE_ERROR, CM_8).fg);
	/* a role whose colours collapse onto each other stays readable */
	t.role[ROLE_BADGE] = (struct style){ 17, 18, 0 };
	s = theme_style(&t, ROLE_BADGE, CM_8);
	CHECK(s.fg != s.bg);
	/* monochrome: no colour, roles that need it get attributes */
	for (int r = 0; r < ROLE_COUNT; r++) {
		s = theme_style(&t, (enum role)r, CM_MONO);
		CHECK_INT(s.fg, COLOR_DEFAULT);
		CHECK_INT(s.bg, COLOR_DEFAULT);
	}
	CHECK(theme_style(&t, ROLE_SELECTION, CM_MONO).attr & CA_REVERSE);
	CHECK(theme_style(&t, ROLE_STATUSBAR, CM_MONO).attr & CA_REVERSE);
	CHECK(theme_style(&t, ROLE_ESCAPE, CM_MONO).attr & CA_REVERSE);
	CHECK(theme_style(&t, ROLE_FOCUS, CM_MONO).attr & CA_REVERSE);
	CHECK(!(theme_style(&t, ROLE_BORDER, CM_MONO).attr & CA_REVERSE));
	/* out-of-range roles fall back to the default role */
	s = theme_style(&t, (enum role)250, CM_256);
	CHECK_INT(s.fg, COLOR_DEFAULT);
	theme_free(&t);
}
