/* term: the terminal — ncursesw set-up, colour pairs per role, the canvas
 * blit (only changed cells, one doupdate per frame), key reading, and the
 * async-signal-safe restore used by the crash handlers.
 * This is the only file that includes <curses.h>. */
#ifndef SCRY_TERM_H
#define SCRY_TERM_H
#include <stddef.h>

struct app;

/* Open the terminal on the controlling tty; sets a->cols/rows, colour
 * mode and glyph set.  Returns 0 or -1 with *err. */
int	term_open(struct app *a, char **err);
/* Leave curses mode and restore the terminal exactly. */
void	term_close(void);
/* Re-read the size after KEY_RESIZE. */
void	term_size(int *cols, int *rows);
/* Re-apply role colours (after :theme). */
void	term_colors(struct app *a);
/* Draw the canvas: only cells that changed since the last blit. */
void	term_blit(struct app *a);
/* Forget what is on screen: the next blit rewrites every cell. */
void	term_invalidate(void);
/* Forget what is on screen and have ncurses clear and redraw it all on
 * the next blit (Ctrl-L: the user says the screen is garbled). */
void	term_repaint(void);
/* Read one key without blocking; returns 1 and sets *key, or 0. */
int	term_getkey(int *key);
/* The mouse event behind the last K_MOUSE key: cell position and what
 * happened (TERM_MOUSE_*).  Returns 0 if there is none. */
#define TERM_MOUSE_PRESS	1
#define TERM_MOUSE_WHEEL_UP	4
#define TERM_MOUSE_WHEEL_DOWN	5
int	term_mouse(int *x, int *y, int *what);
/* Copy text to the terminal's clipboard with OSC 52 (user-initiated
 * only): the text is sanitised, capped at TERM_COPY_MAX bytes, and wrapped
 * for tmux passthrough inside tmux.  0, or -1 with *err. */
#define TERM_COPY_MAX	(1u << 20)
int	term_osc52(const char *text, size_t len, char **err);
/* Async-signal-safe: write the precomputed restore sequence and the saved
 * termios to the tty.  Safe to call more than once. */
void	term_restore_async(void);

#endif
