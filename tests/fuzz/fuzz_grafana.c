/* fuzz target: Grafana dashboard import (core/grafana*.c) — what
 * `scry grafana.json` and `scry --convert` run: the JSON document,
 * detection, conversion (panels, targets, variables, data sources,
 * derived fields, units, colours), the import report, then the converted
 * text parsed and checked as a scry dashboard.
 *
 * Input: one selector byte, then the body.
 *   selector % 3 == 0  body = Grafana dashboard, no options
 *   selector % 3 == 1  body = Grafana dashboard, with --map-datasource
 *                      entries and a provisioning file (YAML)
 *   selector % 3 == 2  body = the provisioning file (YAML or JSON),
 *                      applied to a fixed Grafana dashboard */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/grafana.h"
#include "core/yaml.h"
#include "sources/source.h"
#include "widgets/widget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prov_yaml[] =
    "apiVersion: 1\n"
    "datasources:\n"
    "  - name: Loki EU\n    type: loki\n    uid: loki-eu\n    url: http://loki.example:3100\n"
    "    jsonData:\n      derivedFields:\n"
    "        - name: TraceID\n          matcherRegex: 'trace_id=(\\w+)'\n"
    "          datasourceUid: tempo-1\n          url: '${__value.raw}'\n"
    "  - name: Tempo\n    type: tempo\n    uid: tempo-1\n    url: http://tempo.example:3200\n"
    "  - name: Prom\n    type: prometheus\n    uid: prom-1\n    isDefault: true\n"
    "    url: http://prom.example:9090\n";

static const char fixed_dash[] =
    "{\"title\":\"t\",\"schemaVersion\":39,\"templating\":{\"list\":["
    "{\"name\":\"ds\",\"type\":\"datasource\",\"query\":\"loki\"}]},\"panels\":["
    "{\"id\":1,\"type\":\"timeseries\",\"title\":\"p\",\"datasource\":{\"type\":\"prometheus\","
    "\"uid\":\"prom-1\"},\"gridPos\":{\"x\":0,\"y\":0,\"w\":12,\"h\":8},"
    "\"targets\":[{\"expr\":\"rate(x[$__rate_interval])\",\"legendFormat\":\"{{pod}}\"}]},"
    "{\"id\":2,\"type\":\"logs\",\"title\":\"l\",\"datasource\":\"${ds}\","
    "\"gridPos\":{\"x\":12,\"y\":0,\"w\":12,\"h\":8},\"targets\":[{\"expr\":\"{app=\\\"a\\\"}\"}]},"
    "{\"id\":3,\"type\":\"traces\",\"datasource\":{\"uid\":\"tempo-1\"},"
    "\"gridPos\":{\"x\":0,\"y\":8,\"w\":24,\"h\":8},\"targets\":[{\"query\":\"abc\"}]}]}";

static const char *const maps[] = { "prom-1=prometheus", "$ds=logs", "loki=loki-eu",
	"-- Mixed --=prometheus" };

/* A provisioning document's datasources, as grafana_load_provisioning()
 * finds them; NULL when there are none. */
static const cJSON *
provisioning(struct jdoc *doc, const char *text, size_t len, struct diag *dg)
{
	const cJSON *root;

	if (yaml_parse(doc, text, len, "prov.yaml", dg) < 0)
		return NULL;
	root = cJSON_GetArrayItem(doc->root, 0);
	if (cJSON_IsArray(root))
		return root;
	return cJSON_GetObjectItemCaseSensitive(root, "datasources");
}

static void
convert(const char *text, size_t len, const struct gf_opts *o, struct diag *dg)
{
	struct jdoc doc;
	struct dashboard *db;
	cJSON *out;
	char *printed;

	if (jdoc_parse(&doc, text, len, "fuzz.json", dg) < 0) {
		jdoc_free(&doc);
		return;
	}
	(void)grafana_detect(doc.root);
	out = grafana_convert(doc.root, "fuzz.json", o, dg);
	jdoc_free(&doc);
	if (!out)
		return;
	printed = jdoc_print(out);
	cJSON_Delete(out);
	db = dashboard_parse(printed, strlen(printed), "fuzz.json (converted)", dg);
	if (db) {
		sources_check(db, dg);
		widgets_check(db, dg);
	}
	dashboard_free(db);
	free(printed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	struct gf_opts o = { 0 };
	struct jdoc pdoc;
	struct diag dg;

	if (size < 1)
		return 0;
	memset(&pdoc, 0, sizeof pdoc);
	diag_init(&dg);
	switch (data[0] % 3) {
	case 0:
		convert(body, size - 1, &o, &dg);
		break;
	case 1:
		o.map = maps;
		o.nmap = sizeof maps / sizeof *maps;
		o.provisioning = provisioning(&pdoc, prov_yaml, sizeof prov_yaml - 1, &dg);
		convert(body, size - 1, &o, &dg);
		break;
	default:
		o.provisioning = provisioning(&pdoc, body, size - 1, &dg);
		convert(fixed_dash, sizeof fixed_dash - 1, &o, &dg);
		break;
	}
	jdoc_free(&pdoc);	/* zeroed or freed when unused */
	diag_free(&dg);
	return 0;
}
