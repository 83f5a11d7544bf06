/* term: ncursesw terminal handling.
 * Invariants: nothing but this file writes to the tty while curses is
 * active; every exit path calls term_close() or term_restore_async(). */
#include "tui/term.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "tui/app.h"

#define RESTORE_MAX	512

static SCREEN		*scr;
static FILE		*tty_out, *tty_in;
static int		 tty_fd = -1;
static struct termios	 saved_tio;
static int		 have_tio;
static char		 restore_seq[RESTORE_MAX];
static size_t		 restore_len;
static struct canvas	*shown;		/* what the terminal displays */
static int		 utf8;
static int		 pair_of[ROLE_COUNT];
static attr_t		 attr_of[ROLE_COUNT];
static struct sigaction	 ncurses_winch;
static struct app	*winch_app;
static MEVENT		 last_mouse;
static int		 have_mouse;

static void
add_restore(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < RESTORE_MAX) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void
add_restore_lit(const char *s)
{
	size_t n = strlen(s);
	if (restore_len + n < RESTORE_MAX) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

void
term_restore_async(void)
{
	if (tty_fd < 0)
		return;
	if (restore_len) {
		ssize_t r = write(tty_fd, restore_seq, restore_len);
		(void)r;
	}
	if (have_tio)
		tcsetattr(tty_fd, TCSANOW, &saved_tio);
}

static void
winch_handler(int sig)
{
	if (ncurses_winch.sa_handler && ncurses_winch.sa_handler != SIG_DFL &&
	    ncurses_winch.sa_handler != SIG_IGN)
		ncurses_winch.sa_handler(sig);
	if (winch_app)
		loop_wake(winch_app->loop);
}

static enum colormode
pick_colors(const struct app *a)
{
	const char *nc = getenv("NO_COLOR");

	if (a->opt.color == COLOR_NEVER || (nc && *nc && a->opt.color != COLOR_ALWAYS))
		return CM_MONO;
	if (!has_colors())
		return a->opt.color == COLOR_ALWAYS && COLORS >= 8 ? CM_8 : CM_MONO;
	if (COLORS >= 256)
		return CM_256;
	if (COLORS >= 8)
		return CM_8;
	return CM_MONO;
}

static attr_t
to_attr(uint8_t a)
{
	attr_t r = A_NORMAL;
	if (a & CA_BOLD) r |= A_BOLD;
	if (a & CA_DIM) r |= A_DIM;
	if (a & CA_UNDERLINE) r |= A_UNDERLINE;
	if (a & CA_REVERSE) r |= A_REVERSE;
	if (a & CA_ITALIC) r |= A_ITALIC;
	if (a & CA_BLINK) r |= A_BLINK;
	return r;
}

void
term_colors(struct app *a)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct style s = theme_style(&a->theme, (enum role)r, a->cm);
		attr_of[r] = to_attr(s.attr);
		pair_of[r] = 0;
		if (a->cm != CM_MONO && (s.fg >= 0 || s.bg >= 0) && r + 1 < COLOR_PAIRS) {
			short fg = (short)(s.fg >= COLORS ? COLORS - 1 : s.fg);
			short bg = (short)(s.bg >= COLORS ? COLORS - 1 : s.bg);
			init_pair((short)(r + 1), fg, bg);
			pair_of[r] = r + 1;
		}
	}
	term_invalidate();
}

/* Is there a terminfo entry for TERM (1), one without cursor addressing
 * such as "dumb" (-1), or none (0)?  Asked with setupterm(), which, unlike
 * a failing newterm(), leaves nothing allocated behind. */
static int
term_known(void)
{
	int err = 0, ok;
	char *cup;

	if (setupterm(NULL, tty_fd, &err) != OK)
		return 0;
	cup = tigetstr("cup");
	ok = cup && cup != (char *)-1 ? 1 : -1;
	del_curterm(cur_term);
	return ok;
}

static SCREEN *
open_screen(const char **used, char **err)
{
	static const char *fallback[] = { NULL, "xterm-256color", "xterm" };
	SCREEN *s;

	for (size_t i = 0; i < 3; i++) {
		int known;
		if (fallback[i])
			setenv("TERM", fallback[i], 1);
		if ((known = term_known()) < 0) {
			*err = xasprintf("TERM=%s cannot move the cursor; scry needs a full-screen "
			    "terminal (or use --snapshot)", getenv("TERM"));
			return NULL;
		}
		if (known && (s = newterm(NULL, tty_out, tty_in))) {
			*used = getenv("TERM");
			if (i)
				log_warn("TERM not usable; fell back to %s", fallback[i]);
			return s;
		}
	}
	return NULL;
}

static int
open_tty(char **err)
{
	tty_fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty_fd < 0) {
		*err = xasprintf("no terminal (%s); use --snapshot for text output", strerror(errno));
		return -1;
	}
	if (tcgetattr(tty_fd, &saved_tio) == 0)
		have_tio = 1;
	tty_out = fdopen(dup(tty_fd), "w");
	tty_in = fdopen(dup(tty_fd), "r");
	if (!tty_out || !tty_in) {
		*err = xstrdup("cannot open the terminal");
		return -1;
	}
	return 0;
}

/* Glyph set by locale and --glyphs; input and output modes; colours. */
static void
set_modes(struct app *a)
{
	const char *g = a->opt.glyphs;

	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	a->ascii = !utf8 || (g && strcmp(g, "ascii") == 0);
	a->gs = !utf8 || (g && strcmp(g, "ascii") == 0) ? GS_ASCII :
	    g && strcmp(g, "block") == 0 ? GS_BLOCK : GS_BRAILLE;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	a->cm = pick_colors(a);
	term_colors(a);
	if (a->opt.mouse) {
		/* presses, not clicks: no click-resolution delay */
		mouseinterval(0);
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	}
}

/* What the crash handlers write: every mode we may have turned on, off. */
static void
build_restore(const struct app *a)
{
	restore_len = 0;
	if (a->opt.mouse)
		add_restore_lit("\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
	add_restore("sgr0");
	add_restore("rmkx");
	add_restore("cnorm");
	add_restore("rmcup");
}

/* Chain ncurses' SIGWINCH handler with a wake-up of our loop. */
static void
chain_winch(struct app *a)
{
	struct sigaction sa;

	winch_app = a;
	sigaction(SIGWINCH, NULL, &ncurses_winch);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = winch_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}

int
term_open(struct app *a, char **err)
{
	const char *used = NULL, *term = getenv("TERM");

	if (open_tty(err) < 0)
		return -1;
	if (!term || !*term)
		setenv("TERM", "xterm", 1);
	if (!(scr = open_screen(&used, err))) {
		if (!*err)
			*err = xasprintf("cannot initialise the terminal (TERM=%s)", getenv("TERM"));
		return -1;
	}
	set_term(scr);
	set_modes(a);
	build_restore(a);
	getmaxyx(stdscr, a->rows, a->cols);
	shown = canvas_new(a->cols, a->rows);
	term_invalidate();
	chain_winch(a);
	log_info("terminal %s, %d colours, %s", used ? used : "?", COLORS,
	    utf8 ? "UTF-8" : "ASCII");
	return 0;
}

void
term_close(void)
{
	if (!scr)
		return;
	curs_set(1);
	endwin();
	delscreen(scr);
	scr = NULL;
	if (have_tio)
		tcsetattr(tty_fd, TCSANOW, &saved_tio);
	canvas_free(shown);
	shown = NULL;
	if (tty_out)
		fclose(tty_out);
	if (tty_in)
		fclose(tty_in);
	tty_out = tty_in = NULL;
	close(tty_fd);
	tty_fd = -1;
}

void
term_size(int *cols, int *rows)
{
	getmaxyx(stdscr, *rows, *cols);
	if (*rows < 0)
		*rows = 0;
	if (*cols < 0)
		*cols = 0;
}

void
term_invalidate(void)
{
	if (!shown)
		return;
	for (int y = 0; y < shown->h; y++)
		for (int x = 0; x < shown->w; x++)
			canvas_cell(shown, x, y)->ch = 0xFFFFFFFF;
}

static void
put_cell(struct app *a, int x, int y, const struct cell *c)
{
	cchar_t cc;
	wchar_t wc[3] = { 0, 0, 0 };
	attr_t at = attr_of[c->role < ROLE_COUNT ? c->role : 0] | to_attr(c->attr);
	int pair = pair_of[c->role < ROLE_COUNT ? c->role : 0];

	if (c->flags & CF_WIDE_TAIL) {
		if (!utf8) {
			wc[0] = ' ';
			setcchar(&cc, wc, at, (short)pair, NULL);
			mvadd_wch(y, x, &cc);
		}
		return;
	}
	wc[0] = (wchar_t)(utf8 ? c->ch : canvas_ascii(c->ch));
	if (utf8 && c->comb)
		wc[1] = (wchar_t)c->comb;
	if (a->cm == CM_MONO)
		pair = 0;
	setcchar(&cc, wc, at, (short)pair, NULL);
	mvadd_wch(y, x, &cc);
}

void
term_blit(struct app *a)
{
	struct canvas *cv = a->cv;

	if (!scr)
		return;
	if (shown->w != cv->w || shown->h != cv->h) {
		canvas_resize(shown, cv->w, cv->h);
		term_invalidate();
	}
	for (int y = 0; y < cv->h; y++) {
		if (!canvas_row_differs(cv, shown, y))
			continue;
		for (int x = 0; x < cv->w; x++) {
			struct cell *c = canvas_cell(cv, x, y), *s = canvas_cell(shown, x, y);
			if (memcmp(c, s, sizeof *c) == 0)
				continue;
			put_cell(a, x, y, c);
			*s = *c;
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
	fflush(tty_out);
}

void
term_repaint(void)
{
	if (!scr)
		return;
	clearok(curscr, TRUE);
	term_invalidate();
}

int
term_mouse(int *x, int *y, int *what)
{
	if (!have_mouse)
		return 0;
	have_mouse = 0;
	*x = last_mouse.x;
	*y = last_mouse.y;
	if (last_mouse.bstate & BUTTON4_PRESSED)
		*what = TERM_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
	else if (last_mouse.bstate & BUTTON5_PRESSED)
		*what = TERM_MOUSE_WHEEL_DOWN;
#endif
	else if (last_mouse.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		*what = TERM_MOUSE_PRESS;
	else
		return 0;
	return 1;
}

int
term_getkey(int *key)
{
	wint_t wc;
	int r = get_wch(&wc);

	if (r == ERR)
		return 0;
	if (r == OK) {
		if (wc == '\r' || wc == '\n')
			*key = K_ENTER;
		else if (wc == 127 || wc == 8)
			*key = K_BACKSPACE;
		else
			*key = (int)wc;
		return 1;
	}
	switch (wc) {
	case KEY_UP: *key = K_UP; break;
	case KEY_DOWN: *key = K_DOWN; break;
	case KEY_LEFT: *key = K_LEFT; break;
	case KEY_RIGHT: *key = K_RIGHT; break;
	case KEY_PPAGE: *key = K_PGUP; break;
	case KEY_NPAGE: *key = K_PGDN; break;
	case KEY_HOME: *key = K_HOME; break;
	case KEY_END: *key = K_END; break;
	case KEY_BTAB: *key = K_BTAB; break;
	case KEY_BACKSPACE: *key = K_BACKSPACE; break;
	case KEY_DC: *key = K_DELETE; break;
	case KEY_ENTER: *key = K_ENTER; break;
	case KEY_RESIZE: *key = K_RESIZE; break;
	case KEY_MOUSE:
		have_mouse = getmouse(&last_mouse) == OK;
		*key = have_mouse ? K_MOUSE : 0;
		break;
	default:
		if (wc >= KEY_F(1) && wc <= KEY_F(5))
			*key = K_F1 + (int)(wc - KEY_F(1));
		else
			*key = 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- OSC 52 */

int
term_osc52(const char *text, size_t len, char **err)
{
	static const char b64tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf clean, out;
	const unsigned char *s;
	const char *tmux = getenv("TMUX");
	size_t n;

	if (!scr || !tty_out) {
		*err = xstrdup("no terminal to copy to");
		return -1;
	}
	/* never raw bytes: the sanitised, displayable form only */
	buf_init(&clean, TERM_COPY_MAX + 64);
	san_to_buf(&clean, text, len, SAN_NO_TABS);
	if (clean.overflow || clean.len > TERM_COPY_MAX) {
		buf_free(&clean);
		*err = xasprintf("too large to copy (over %u KiB)", TERM_COPY_MAX >> 10);
		return -1;
	}
	buf_init(&out, TERM_COPY_MAX * 2);
	buf_puts(&out, tmux && *tmux ? "\033Ptmux;\033\033]52;c;" : "\033]52;c;");
	s = (const unsigned char *)(clean.data ? clean.data : "");
	n = clean.len;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = s[i] << 16 | (i + 1 < n ? s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		buf_putc(&out, b64tab[v >> 18 & 63]);
		buf_putc(&out, b64tab[v >> 12 & 63]);
		buf_putc(&out, i + 1 < n ? b64tab[v >> 6 & 63] : '=');
		buf_putc(&out, i + 2 < n ? b64tab[v & 63] : '=');
	}
	buf_puts(&out, tmux && *tmux ? "\a\033\\" : "\a");
	fwrite(out.data, 1, out.len, tty_out);
	fflush(tty_out);
	log_info("copied %zu bytes to the clipboard (OSC 52%s)", clean.len, tmux && *tmux ? ", tmux" : "");
	buf_free(&clean);
	buf_free(&out);
	return 0;
}
