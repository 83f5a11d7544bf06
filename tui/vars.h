/* vars: dashboard variables at run time (query units, answers, picker). */
#ifndef SCRY_VARS_H
#define SCRY_VARS_H
#include <stddef.h>

struct app;
struct canvas;

/* Register fetch units for query variables (from app_layout). */
void	vars_units(struct app *a);
/* An EV_VALUES answer for key was stored: update the variables it feeds. */
void	vars_apply(struct app *a, const char *key);
/* A variable's choice changed: relayout and refetch. */
void	vars_changed(struct app *a);
/* "service=order env=All" for the status bar; returns the length. */
size_t	vars_describe(const struct app *a, char *dst, size_t n);
/* The picker (`v`). */
void	vars_open(struct app *a);
void	vars_key(struct app *a, int key);
void	vars_render(struct app *a, struct canvas *cv);
void	vars_free(struct app *a);

#endif
