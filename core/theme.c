/* theme: role names, the built-in dark theme, theme files, degradation. */
#include "core/theme.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/xalloc.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_DEFAULT] = "default", [ROLE_TEXT] = "text", [ROLE_DIM] = "dim",
	[ROLE_TITLE] = "title", [ROLE_BORDER] = "border", [ROLE_FOCUS] = "focus",
	[ROLE_AXIS] = "axis", [ROLE_GRID] = "grid", [ROLE_LEGEND] = "legend",
	[ROLE_SERIES1] = "series-1", [ROLE_SERIES2] = "series-2",
	[ROLE_SERIES3] = "series-3", [ROLE_SERIES4] = "series-4",
	[ROLE_SERIES5] = "series-5", [ROLE_SERIES6] = "series-6",
	[ROLE_SERIES7] = "series-7", [ROLE_SERIES8] = "series-8",
	[ROLE_OK] = "ok", [ROLE_WARN] = "warn", [ROLE_ERROR] = "error",
	[ROLE_CRITICAL] = "critical", [ROLE_INFO] = "info", [ROLE_STALE] = "stale",
	[ROLE_SELECTION] = "selection", [ROLE_CURSOR] = "cursor",
	[ROLE_TRACELINK] = "trace-link", [ROLE_MATCH] = "match",
	[ROLE_ESCAPE] = "escape", [ROLE_STATUSBAR] = "statusbar",
	[ROLE_STATUSKEY] = "status-key", [ROLE_CMDLINE] = "cmdline",
	[ROLE_HELP] = "help", [ROLE_BADGE] = "badge", [ROLE_THRESHOLD] = "threshold",
	[ROLE_MARKER] = "marker",
	[ROLE_HEAT1] = "heat-1", [ROLE_HEAT2] = "heat-2", [ROLE_HEAT3] = "heat-3",
	[ROLE_HEAT4] = "heat-4", [ROLE_HEAT5] = "heat-5", [ROLE_HEAT6] = "heat-6",
	[ROLE_HEAT7] = "heat-7", [ROLE_HEAT8] = "heat-8",
	[ROLE_WARN_AREA] = "warn-area", [ROLE_ERROR_AREA] = "error-area",
};

/* Attributes a role needs to stay distinguishable without colour. */
static const uint8_t mono_attr[ROLE_COUNT] = {
	[ROLE_TITLE] = CA_BOLD, [ROLE_FOCUS] = CA_BOLD | CA_REVERSE,
	[ROLE_ERROR] = CA_BOLD, [ROLE_CRITICAL] = CA_BOLD | CA_REVERSE,
	[ROLE_WARN] = CA_BOLD, [ROLE_STALE] = CA_DIM, [ROLE_DIM] = CA_DIM,
	[ROLE_SELECTION] = CA_REVERSE, [ROLE_CURSOR] = CA_REVERSE,
	[ROLE_TRACELINK] = CA_UNDERLINE, [ROLE_MATCH] = CA_REVERSE,
	[ROLE_ESCAPE] = CA_REVERSE, [ROLE_STATUSBAR] = CA_REVERSE,
	[ROLE_STATUSKEY] = CA_REVERSE | CA_BOLD, [ROLE_BADGE] = CA_REVERSE,
	[ROLE_THRESHOLD] = CA_DIM, [ROLE_GRID] = CA_DIM, [ROLE_MARKER] = CA_BOLD,
	[ROLE_HEAT6] = CA_BOLD, [ROLE_HEAT7] = CA_BOLD, [ROLE_HEAT8] = CA_BOLD | CA_REVERSE,
};

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int
role_from_name(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (role_names[i] && strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

#define S(f, b, a)	((struct style){ (f), (b), (a) })
void
theme_default(struct theme *t)
{
	struct style *r = t->role;

	memset(t, 0, sizeof *t);
	for (int i = 0; i < ROLE_COUNT; i++)
		r[i] = S(COLOR_DEFAULT, COLOR_DEFAULT, 0);
	r[ROLE_DIM] = S(245, -1, 0);
	r[ROLE_TITLE] = S(255, -1, CA_BOLD);
	r[ROLE_BORDER] = S(240, -1, 0);
	r[ROLE_FOCUS] = S(81, -1, CA_BOLD);
	r[ROLE_AXIS] = S(245, -1, 0);
	r[ROLE_GRID] = S(237, -1, 0);
	r[ROLE_LEGEND] = S(250, -1, 0);
	r[ROLE_SERIES1] = S(39, -1, 0);
	r[ROLE_SERIES2] = S(214, -1, 0);
	r[ROLE_SERIES3] = S(114, -1, 0);
	r[ROLE_SERIES4] = S(205, -1, 0);
	r[ROLE_SERIES5] = S(141, -1, 0);
	r[ROLE_SERIES6] = S(227, -1, 0);
	r[ROLE_SERIES7] = S(80, -1, 0);
	r[ROLE_SERIES8] = S(209, -1, 0);
	r[ROLE_OK] = S(114, -1, 0);
	r[ROLE_WARN] = S(214, -1, CA_BOLD);
	r[ROLE_ERROR] = S(203, -1, CA_BOLD);
	r[ROLE_CRITICAL] = S(231, 160, CA_BOLD);
	r[ROLE_INFO] = S(75, -1, 0);
	r[ROLE_STALE] = S(179, -1, 0);
	r[ROLE_SELECTION] = S(231, 24, 0);
	r[ROLE_CURSOR] = S(231, 60, 0);
	r[ROLE_TRACELINK] = S(117, -1, CA_UNDERLINE);
	r[ROLE_MATCH] = S(16, 220, 0);
	r[ROLE_ESCAPE] = S(16, 174, 0);
	r[ROLE_STATUSBAR] = S(252, 236, 0);
	r[ROLE_STATUSKEY] = S(16, 81, CA_BOLD);
	r[ROLE_CMDLINE] = S(255, 235, 0);
	r[ROLE_HELP] = S(252, 235, 0);
	r[ROLE_BADGE] = S(16, 214, CA_BOLD);
	r[ROLE_THRESHOLD] = S(167, -1, 0);
	r[ROLE_MARKER] = S(177, -1, CA_BOLD);
	r[ROLE_HEAT1] = S(17, -1, 0);
	r[ROLE_HEAT2] = S(19, -1, 0);
	r[ROLE_HEAT3] = S(31, -1, 0);
	r[ROLE_HEAT4] = S(37, -1, 0);
	r[ROLE_HEAT5] = S(78, -1, 0);
	r[ROLE_HEAT6] = S(184, -1, 0);
	r[ROLE_HEAT7] = S(208, -1, 0);
	r[ROLE_HEAT8] = S(196, -1, CA_BOLD);
	r[ROLE_WARN_AREA] = S(-1, 58, 0);
	r[ROLE_ERROR_AREA] = S(-1, 52, 0);
	t->name = xstrdup("default");
}
#undef S

void
theme_free(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}

static const char *const basic_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

int
color_parse(const char *s, int16_t *out)
{
	char *end;
	long v;

	if (strcmp(s, "default") == 0 || strcmp(s, "-") == 0) {
		*out = COLOR_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 16; i++)
		if (strcmp(s, basic_names[i]) == 0) {
			*out = (int16_t)i;
			return 0;
		}
	if (strcmp(s, "gray") == 0 || strcmp(s, "grey") == 0) {
		*out = 8;
		return 0;
	}
	if (s[0] == '#' && strlen(s) == 7) {
		unsigned rgb[3];
		if (sscanf(s + 1, "%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]) != 3)	// NOLINT(cert-err34-c): two hex digits each (no overflow); the count is checked
			return -1;
		int q[3];
		for (int i = 0; i < 3; i++)
			q[i] = rgb[i] < 48 ? 0 : rgb[i] < 115 ? 1 : (int)(rgb[i] - 35) / 40;
		*out = (int16_t)(16 + 36 * q[0] + 6 * q[1] + q[2]);
		return 0;
	}
	v = strtol(s, &end, 10);
	if (end != s && *end == '\0' && v >= 0 && v <= 255) {
		*out = (int16_t)v;
		return 0;
	}
	return -1;
}

/* xterm's palette: the 16 base colours, the 6x6x6 cube, the grey ramp. */
static void
palette_rgb(int c, int rgb[3])
{
	static const int base[8][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	};
	static const int lvl[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		memcpy(rgb, base[c & 7], sizeof base[0]);
	} else if (c < 232) {
		c -= 16;
		rgb[0] = lvl[c / 36];
		rgb[1] = lvl[(c / 6) % 6];
		rgb[2] = lvl[c % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
}

/* 256 colours -> the 8 basic ones.  Greys become black or white by
 * brightness; anything with a hue becomes the basic colour whose hue is
 * closest (cosine of the chroma vectors), so orange is yellow, not red. */
int
color_to_8(int c)
{
	static const int hue[6][3] = {
		{ 1, 0, 0 }, { 0, 1, 0 }, { 1, 1, 0 }, { 0, 0, 1 }, { 1, 0, 1 }, { 0, 1, 1 },
	};
	int rgb[3], mn, mx, best = 7;
	double bestc = -1;

	if (c < 0 || c > 255)
		return c < 0 ? c : 7;
	if (c < 16)
		return c & 7;
	palette_rgb(c, rgb);
	mn = rgb[0] < rgb[1] ? rgb[0] : rgb[1];
	mn = mn < rgb[2] ? mn : rgb[2];
	mx = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
	mx = mx > rgb[2] ? mx : rgb[2];
	if (mx - mn < 48)
		return (rgb[0] + rgb[1] + rgb[2]) / 3 >= 100 ? 7 : 0;
	for (int k = 0; k < 6; k++) {
		double dot = 0, n2 = 0, h2 = 0;
		for (int i = 0; i < 3; i++) {
			double v = rgb[i] - mn;
			dot += v * hue[k][i];
			n2 += v * v;
			h2 += hue[k][i];
		}
		dot /= sqrt(n2 * h2);
		if (dot > bestc) {
			bestc = dot;
			best = k + 1;
		}
	}
	return best;
}

struct style
theme_style(const struct theme *t, enum role r, enum colormode cm)
{
	struct style s;

	if ((unsigned)r >= ROLE_COUNT)
		r = ROLE_DEFAULT;
	s = t->role[r];
	if (cm == CM_MONO) {
		s.fg = s.bg = COLOR_DEFAULT;
		s.attr |= mono_attr[r];
	} else if (cm == CM_8) {
		int dark = s.fg > 0 && color_to_8(s.fg) == 0;
		s.fg = (int16_t)color_to_8(s.fg);
		s.bg = (int16_t)color_to_8(s.bg);
		/* a dark grey on the terminal's background would vanish (black
		 * on black): use the default colour, dimmed */
		if (dark && s.bg < 0) {
			s.fg = COLOR_DEFAULT;
			s.attr |= CA_DIM;
		}
		if (s.fg >= 0 && s.fg == s.bg)
			s.fg = s.bg == 0 ? 7 : 0;
	}
	return s;
}

static const char *trim_const(const char *s);

/* A comment is a '#' that begins the line or follows a blank and is
 * followed by a blank or the end ("#ff8800" is a colour, not a comment). */
static char *
find_comment(char *line)
{
	for (char *p = line; *p; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t') &&
		    (*trim_const(line) == '#' || p[1] == '\0' || p[1] == ' ' || p[1] == '\t'))
			return p;
	return NULL;
}

static const char *
trim_const(const char *s)
{
	/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.ArraySubscript): s is a C string; the analyzer cannot see that isspace('\0') is false, so it walks past the NUL */
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static char *
trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
attr_parse(const char *w, uint8_t *attr)
{
	static const struct { const char *n; uint8_t a; } tab[] = {
		{ "bold", CA_BOLD }, { "dim", CA_DIM }, { "underline", CA_UNDERLINE },
		{ "reverse", CA_REVERSE }, { "italic", CA_ITALIC }, { "blink", CA_BLINK },
		{ "none", 0 },
	};

	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(w, tab[i].n) == 0) {
			*attr |= tab[i].a;
			return 0;
		}
	return -1;
}

/* Next word of line at *i (separated by blanks or commas); returns its start column (1-based) or 0. */
static int
next_word(char *line, size_t *i, char **word)
{
	size_t s;

	while (line[*i] == ' ' || line[*i] == '\t' || line[*i] == ',')
		(*i)++;
	if (!line[*i])
		return 0;
	s = *i;
	while (line[*i] && line[*i] != ' ' && line[*i] != '\t' && line[*i] != ',')
		(*i)++;
	if (line[*i])
		line[(*i)++] = '\0';
	*word = line + s;
	return (int)s + 1;
}

/* One "role = FG [BG] [ATTRIBUTE...]" line; line is the raw text (comment
 * removed), so columns in messages match the file. */
static void
theme_line(struct theme *t, char *line, const char *fname, int lineno, struct diag *d)
{
	char *eq = strchr(line, '='), *key, *w;
	size_t i;
	struct style st;
	int r, col;

	if (!eq) {
		diag_add(d, DIAG_ERROR, fname, lineno, 1, "expected 'ROLE = FG [BG] [ATTRIBUTES]'");
		return;
	}
	*eq = '\0';
	i = (size_t)(eq - line) + 1;
	key = trim(line);
	if (strcmp(key, "name") == 0) {
		free(t->name);
		t->name = xstrdup(trim(eq + 1));
		return;
	}
	if ((r = role_from_name(key)) < 0) {
		diag_add(d, DIAG_WARN, fname, lineno, (int)(key - line) + 1, "%s: unknown role (ignored)", key);
		return;
	}
	st = t->role[r];
	st.attr = 0;
	if (!(col = next_word(line, &i, &w)) || color_parse(w, &st.fg) < 0) {
		diag_add(d, DIAG_ERROR, fname, lineno, col ? col : (int)i + 1,
		    "%s: expected a foreground colour (default, red, bright-blue, 0-255 or #rrggbb), got '%s'",
		    key, col ? w : "");
		return;
	}
	st.bg = COLOR_DEFAULT;
	if ((col = next_word(line, &i, &w)) && color_parse(w, &st.bg) < 0 &&
	    attr_parse(w, &st.attr) < 0) {
		diag_add(d, DIAG_ERROR, fname, lineno, col,
		    "%s: '%s' is neither a background colour nor an attribute", key, w);
		return;
	}
	while ((col = next_word(line, &i, &w)))
		if (attr_parse(w, &st.attr) < 0) {
			diag_add(d, DIAG_ERROR, fname, lineno, col,
			    "%s: unknown attribute '%s' (expected bold, dim, underline, reverse, italic, "
			    "blink or none)", key, w);
			return;
		}
	t->role[r] = st;
}

int
theme_parse(struct theme *t, const char *text, size_t len, const char *fname, struct diag *d)
{
	size_t before = d ? d->nerrors : 0, i = 0;
	int lineno = 0;

	while (i < len) {
		size_t j = i;
		char line[512], *l;
		while (j < len && text[j] != '\n')
			j++;
		lineno++;
		if (j - i >= sizeof line) {
			diag_add(d, DIAG_ERROR, fname, lineno, 1, "line too long (the limit is %zu bytes)",
			    sizeof line - 1);
		} else {
			memcpy(line, text + i, j - i);
			line[j - i] = '\0';
			if (j > i && line[j - i - 1] == '\r')
				line[j - i - 1] = '\0';
			if ((l = find_comment(line)))
				*l = '\0';
			if (*trim_const(line))
				theme_line(t, line, fname, lineno, d);
		}
		i = j + 1;
	}
	return d && d->nerrors > before ? -1 : 0;
}

int
theme_load(struct theme *t, const char *name, struct diag *d)
{
	char *path = NULL, *text;
	size_t len;
	int rc;

	theme_default(t);
	if (strcmp(name, "default") == 0 || strcmp(name, "dark") == 0)
		return 0;
	if (strchr(name, '/') || strstr(name, ".theme"))
		path = xstrdup(name);
	else {
		char *fn = xasprintf("themes/%s.theme", name);
		path = paths_find_data(fn);
		free(fn);
		if (!path) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0,
			    "theme '%s' not found (looked in $XDG_CONFIG_HOME/scry/themes, "
			    "beside the binary and in %s/themes)", name, SCRY_DATADIR);
			return -1;
		}
	}
	text = paths_read_file(path, 1 << 20, &len, d);
	if (!text) {
		free(path);
		return -1;
	}
	free(t->name);
	t->name = xstrdup(name);
	rc = theme_parse(t, text, len, path, d);
	free(text);
	free(path);
	return rc;
}
