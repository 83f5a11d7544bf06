/* svcview: generated service pages as views — `:service NAME`,
 * `--service NAME` and the widget api's open_service (the topology's
 * Enter on a node).  See svcview.c. */
#ifndef SCRY_SVCVIEW_H
#define SCRY_SVCVIEW_H

struct app;
struct canvas;

/* Start probing for a service and show the page when the probes have
 * answered (a "probing" view until then).  0, or -1 after saying why. */
int	app_open_service(struct app *a, const char *service);
/* Register the probes' fetch units (from app_layout). */
void	svcview_units(struct app *a);
/* Probes answered (or out of time)?  Then build the page (from app_schedule). */
void	svcview_poll(struct app *a);
/* Is the top view a page still probing? */
int	svcview_probing(const struct app *a);
/* Draw the probing view onto the dashboard area. */
void	svcview_render(struct app *a, struct canvas *area);
/* Esc: leave the top page (restoring exactly the view under it); 1 if
 * there was one. */
int	svcview_pop(struct app *a);
/* Pages open (0: the dashboard itself is shown). */
int	svcview_depth(const struct app *a);
/* Leave every page (app_free). */
void	svcview_free(struct app *a);

#endif
