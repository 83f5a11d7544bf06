/* test_numparse: numbers read from untrusted text where atoi() used to be
 * (found by clang-tidy cert-err34-c): a CIDR's prefix length in no_proxy
 * and a trace search's "limit=N".  atoi() had undefined behaviour on
 * overflow and took "8x" as 8; these take whole numbers in range only. */
#include "sources/proxy.h"
#include "sources/tracereq.h"
#include "tests/unit/t.h"

TEST(proxy_cidr_prefix_is_a_whole_number_in_range)
{
	CHECK(proxy_host_exempt("10.1.2.3", "10.0.0.0/8"));
	CHECK(!proxy_host_exempt("11.1.2.3", "10.0.0.0/8"));
	CHECK(proxy_host_exempt("10.1.2.3", "10.1.2.3/32"));
	CHECK(proxy_host_exempt("10.1.2.3", "0.0.0.0/0"));
	CHECK(proxy_host_exempt("fd00::1", "fd00::/8"));
	/* garbage and out-of-range prefixes exempt nothing */
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/8x"));
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/"));
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/33"));
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/-1"));
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/99999999999999999999"));
	CHECK(!proxy_host_exempt("10.1.2.3", "10.0.0.0/4294967304"));	/* 2^32 + 8 */
}

TEST(treq_limit_takes_whole_numbers_in_range)
{
	CHECK_INT(treq_limit("50", 20), 50);
	CHECK_INT(treq_limit("1", 20), 1);
	CHECK_INT(treq_limit("2147483647", 20), 2147483647);
	CHECK_INT(treq_limit("0", 20), 20);
	CHECK_INT(treq_limit("-5", 20), 20);
	CHECK_INT(treq_limit("", 20), 20);
	CHECK_INT(treq_limit("50x", 20), 20);
	CHECK_INT(treq_limit("2147483648", 20), 20);
	CHECK_INT(treq_limit("99999999999999999999", 20), 20);
}
