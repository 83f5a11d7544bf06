/* registry: every widget class scry knows, one line each. */
#include <stdio.h>
#include <string.h>

#include "widgets/widget.h"

extern const struct widget_class text_widget;
extern const struct widget_class row_widget;
extern const struct widget_class graph_widget;
extern const struct widget_class heatmap_widget;
extern const struct widget_class slo_widget;
extern const struct widget_class stat_widget;
extern const struct widget_class gauge_widget;
extern const struct widget_class bar_widget;
extern const struct widget_class table_widget;
extern const struct widget_class alerts_widget;
extern const struct widget_class trace_widget;
extern const struct widget_class tracesearch_widget;
extern const struct widget_class stack_widget;
extern const struct widget_class pods_widget;
extern const struct widget_class pod_widget;
extern const struct widget_class events_widget;
extern const struct widget_class kubelogs_widget;
extern const struct widget_class logs_widget;
extern const struct widget_class tracelogs_widget;
extern const struct widget_class topology_widget;

const struct widget_class *const widget_classes[] = {
	&text_widget,
	&row_widget,
	&graph_widget,
	&heatmap_widget,
	&slo_widget,
	&stat_widget,
	&gauge_widget,
	&bar_widget,
	&table_widget,
	&alerts_widget,
	&trace_widget,
	&tracesearch_widget,
	&stack_widget,
	&pods_widget,
	&pod_widget,
	&events_widget,
	&kubelogs_widget,
	&logs_widget,
	&tracelogs_widget,
	&topology_widget,
	NULL
};

const struct widget_class *
widget_class_find(const char *type)
{
	for (size_t i = 0; widget_classes[i]; i++)
		if (strcmp(widget_classes[i]->name, type) == 0)
			return widget_classes[i];
	return NULL;
}

void
widgets_check(const struct dashboard *db, struct diag *dg)
{
	for (size_t i = 0; i < db->npanels; i++) {
		const struct dash_panel *pc = &db->panels[i];
		const struct widget_class *cls = widget_class_find(pc->type);
		struct panel p;
		char path[320];

		if (!cls) {
			jdoc_diag(&db->doc, dg, DIAG_ERROR,
			    cJSON_GetObjectItemCaseSensitive(pc->cfg, "type"), 0,
			    "%s.type: unknown panel type '%s'", pc->path, pc->type);
			continue;
		}
		if (pc->options) {
			snprintf(path, sizeof path, "%s.options", pc->path);
			jd_check_keys(&db->doc, dg, pc->options, path, cls->option_keys, NULL);
		}
		memset(&p, 0, sizeof p);
		p.cfg = pc;
		p.cls = cls;
		/* as app.c does: an init that failed may have left state behind */
		if (cls->init && (cls->init(&p, &db->doc, dg) == 0 || p.w) && cls->free)
			cls->free(&p);
	}
}
