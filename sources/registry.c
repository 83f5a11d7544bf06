/* registry: every source class scry knows, one line each. */
#include <stdio.h>
#include <string.h>

#include "sources/source.h"

extern const struct source_class prometheus_source;
extern const struct source_class loki_source;
extern const struct source_class tempo_source;
extern const struct source_class jaeger_source;
extern const struct source_class kubectl_source;

const struct source_class *const source_classes[] = {
	&prometheus_source,
	&loki_source,
	&tempo_source,
	&jaeger_source,
	&kubectl_source,
	NULL
};

const struct source_class *
source_class_find(const char *type)
{
	for (size_t i = 0; source_classes[i]; i++)
		if (strcmp(source_classes[i]->name, type) == 0)
			return source_classes[i];
	return NULL;
}

int
source_serves(const struct source_class *cls, const char *kind)
{
	for (size_t i = 0; cls->kinds && cls->kinds[i]; i++)
		if (strcmp(cls->kinds[i], kind) == 0 || strcmp(cls->kinds[i], "*") == 0)
			return 1;
	return 0;
}

void
sources_check(const struct dashboard *db, struct diag *dg)
{
	for (size_t i = 0; i < db->nsrc; i++) {
		const struct dash_source *s = &db->src[i];
		const struct source_class *cls = source_class_find(s->type);
		if (!cls) {
			if (s->cfg)
				jdoc_diag(&db->doc, dg, DIAG_ERROR,
				    cJSON_GetObjectItemCaseSensitive(s->cfg, "type"), 0,
				    "sources.%s.type: unknown source type '%s'", s->name, s->type);
			else
				diag_add(dg, DIAG_ERROR, NULL, 0, 0, "source %s: unknown type '%s'",
				    s->name, s->type);
			continue;
		}
		if (s->cfg) {
			char path[256];
			static const char *const common[] = { "type", "url", NULL };
			snprintf(path, sizeof path, "sources.%s", s->name);
			jd_check_keys(&db->doc, dg, s->cfg, path, common, cls->cfg_keys);
		}
		if (cls->check)
			cls->check(s, &db->doc, dg);
	}
}
