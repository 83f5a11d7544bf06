#!/bin/sh
# prom_seeds.sh: (re)capture the seeds of tests/fuzz/fuzz_prom.c from real
# answers: Debian's prometheus over the seed-incident TSDB (tests/prom.sh)
# with exemplar storage, scraping tests/servers/exemplar_target.py, and
# tests/servers/prom_misbehave.py for what no real Prometheus sends (HTML
# from a proxy, truncated JSON, 503 busy, warnings).  Each seed is the
# target's selector byte (see fuzz_prom.c) followed by the body.
# Usage: sh tests/fuzz/prom_seeds.sh   (from the top of the tree)
. tests/lib.sh
. tests/prom.sh
out=tests/fuzz/seeds/prom
mkdir -p "$out"

# seed NAME SELECTOR URL [curl args...]: the body of one answer
seed() {
	name=$1 sel=$2 url=$3
	shift 3
	printf "\\$(printf %o "$sel")" >"$out/$name"
	curl -s -G "$@" "$url" >>"$out/$name" || echo "prom_seeds: $name failed" >&2
}

TP=$(free_port)
bg python3 tests/servers/exemplar_target.py --port "$TP"
wait_http "http://127.0.0.1:$TP/ready" || exit 1
PROM_SCRAPE=127.0.0.1:$TP
prom_start --enable-feature=exemplar-storage || exit 1
sleep 7	# the first scrape lands about 5 s after start
P=$PROM_URL/api/v1
AT=2026-11-26T02:30:00Z
q() { echo "--data-urlencode"; echo "query=$1"; }
# selector: what | status << 3 | content type << 5 | range << 7
seed query_matrix 128 "$P/query_range" --data-urlencode \
    'query=sum by (destination_service_name, response_code) (rate(istio_requests_total{reporter="destination"}[1m]))' \
    --data-urlencode start=2026-11-26T02:15:00Z --data-urlencode end=2026-11-26T02:20:00Z \
    --data-urlencode step=15
seed query_p99 128 "$P/query_range" --data-urlencode \
    'query=histogram_quantile(0.99, sum by (le, service) (rate(http_server_requests_seconds_bucket[1m])))' \
    --data-urlencode start=2026-11-26T03:28:00Z --data-urlencode end=2026-11-26T03:32:00Z \
    --data-urlencode step=30
seed query_vector 0 "$P/query" --data-urlencode 'query=envoy_cluster_upstream_cx_active' \
    --data-urlencode time=$AT
seed query_scalar 0 "$P/query" --data-urlencode 'query=scalar(sum(envoy_cluster_upstream_cx_active))' \
    --data-urlencode time=$AT
seed query_string 0 "$P/query" --data-urlencode 'query="a \"quoted\" string"' \
    --data-urlencode time=$AT
seed query_inf 0 "$P/query" --data-urlencode 'query=vector(1)/0 or label_replace(vector(-1)/0, "s", "neg", "", "") or label_replace(vector(0)/0, "s", "nan", "", "")' \
    --data-urlencode time=$AT
seed query_empty 0 "$P/query" --data-urlencode 'query=nonexistent_metric' --data-urlencode time=$AT
seed alerts_firing 6 "$P/query" --data-urlencode 'query=ALERTS or ALERTS_FOR_STATE' \
    --data-urlencode time=$AT
seed varq_result 7 "$P/query" --data-urlencode 'query=count by (destination_service_name) (istio_requests_total)' \
    --data-urlencode time=$AT
seed rules 1 "$P/rules" --data-urlencode type=alert
seed alerts 1 "$P/alerts"
seed exemplars 2 "$P/query_exemplars" --data-urlencode 'query=istio_request_duration_milliseconds_bucket' \
    --data-urlencode start=2026-11-26T01:00:00Z --data-urlencode end=2030-01-01T00:00:00Z
seed labels 3 "$P/labels"
seed label_values 3 "$P/label/destination_service_name/values"
seed buildinfo 4 "$P/status/buildinfo"
seed series 5 "$P/series" --data-urlencode 'match[]=envoy_cluster_upstream_cx_active'
# errors as the real server words them: 400 bad_data, 422 execution, 404 text
seed err_bad_data $((0 | 1 << 3)) "$P/query" --data-urlencode 'query=sum(' --data-urlencode time=$AT
seed err_bad_time $((128 | 1 << 3)) "$P/query_range" --data-urlencode 'query=up' \
    --data-urlencode start=x --data-urlencode end=y --data-urlencode step=15
seed err_execution $((0 | 2 << 3)) "$P/query" --data-urlencode \
    'query=istio_requests_total + on(destination_service_name) istio_requests_total' \
    --data-urlencode time=$AT
seed err_404_text $((0 | 1 << 3 | 1 << 5)) "$PROM_URL/api/v1/nope"
prom_stop

M=$(free_port)
bg python3 tests/servers/prom_misbehave.py "$M"
wait_http "http://127.0.0.1:$M/ok/api/v1/status/buildinfo" || exit 1
U=http://127.0.0.1:$M
seed proxy_html $((0 | 3 << 3 | 2 << 5)) "$U/html/api/v1/query" --data-urlencode query=up
seed sso_html $((0 | 2 << 5)) "$U/sso/api/v1/query" --data-urlencode query=up
seed truncated 128 "$U/truncated/api/v1/query_range" --data-urlencode query=up \
    --data-urlencode start=1795659000 --data-urlencode end=1795659600 --data-urlencode step=60
seed busy $((0 | 3 << 3)) "$U/busy/api/v1/query" --data-urlencode query=up
seed partial 128 "$U/partial/api/v1/query_range" --data-urlencode query=up \
    --data-urlencode start=1795659000 --data-urlencode end=1795659600 --data-urlencode step=60
seed partial_rules 1 "$U/partial/api/v1/rules"
ls -l "$out"
