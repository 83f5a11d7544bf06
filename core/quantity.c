/* quantity: exact parsing of Kubernetes quantities.
 * A quantity is sign? digits (. digits)? suffix, where the suffix is a
 * binary SI one (Ki Mi Gi Ti Pi Ei), a decimal SI one (n u m "" k M G T P
 * E) or an exponent (e3, E-2).  The value is kept as an integer mantissa
 * times a power of ten times a power of two, so "0.1" * 1000 is exactly
 * 100 (no floating point rounding). */
#include "core/quantity.h"

#include <stdio.h>
#include <string.h>

struct q {
	int		 neg;
	uint64_t	 mant;	/* up to 18 significant digits */
	int		 exp10;
	int		 exp2;
};

static int
suffix(const char *s, struct q *q)
{
	static const struct { const char *s; int e10, e2; } tab[] = {
		{ "Ki", 0, 10 }, { "Mi", 0, 20 }, { "Gi", 0, 30 }, { "Ti", 0, 40 },
		{ "Pi", 0, 50 }, { "Ei", 0, 60 }, { "n", -9, 0 }, { "u", -6, 0 },
		{ "m", -3, 0 }, { "", 0, 0 }, { "k", 3, 0 }, { "M", 6, 0 }, { "G", 9, 0 },
		{ "T", 12, 0 }, { "P", 15, 0 }, { "E", 18, 0 },
	};

	if ((s[0] == 'e' || s[0] == 'E') && s[1] && strcmp(s, "Ei") != 0) {
		int sign = 1, v = 0;
		const char *p = s + 1;
		if (*p == '+' || *p == '-')
			sign = *p++ == '-' ? -1 : 1;
		if (!*p)
			return -1;
		for (; *p; p++) {
			if (*p < '0' || *p > '9' || v > 1000)
				return -1;
			v = v * 10 + (*p - '0');
		}
		q->exp10 += sign * v;
		return 0;
	}
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(s, tab[i].s) == 0) {
			q->exp10 += tab[i].e10;
			q->exp2 = tab[i].e2;
			return 0;
		}
	return -1;
}

static int
parse(const char *s, struct q *q)
{
	int digits = 0, any = 0, dot = 0;

	memset(q, 0, sizeof *q);
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-')
		q->neg = *s++ == '-';
	for (; (*s >= '0' && *s <= '9') || (*s == '.' && !dot); s++) {
		if (*s == '.') {
			dot = 1;
			continue;
		}
		any = 1;
		if (digits < 18) {
			if (q->mant || *s != '0')
				digits++;
			q->mant = q->mant * 10 + (uint64_t)(*s - '0');
			if (dot)
				q->exp10--;
		} else if (!dot)
			q->exp10++;	/* drop further integer digits, keep the magnitude */
	}
	if (!any)
		return -1;
	return suffix(s, q);
}

static uint64_t
mul_sat(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

int
quantity_scaled(const char *s, int scale, int64_t *out)
{
	struct q q;
	uint64_t v;
	int e;

	*out = 0;
	if (parse(s, &q) < 0)
		return -1;
	v = q.exp2 < 64 ? mul_sat(q.mant, (uint64_t)1 << q.exp2) : UINT64_MAX;
	e = q.exp10 + scale;
	if (e >= 0) {
		for (int i = 0; i < e && v; i++)
			v = mul_sat(v, 10);
	} else {
		uint64_t d = 1;
		int rem = 0;
		for (int i = 0; i < -e; i++) {
			if (d > UINT64_MAX / 10) {
				d = 0;
				break;
			}
			d *= 10;
		}
		if (!d)
			v = v ? 1 : 0;	/* smaller than one unit of the scale: rounds up to 1 */
		else {
			rem = v % d != 0;
			v = v / d + (uint64_t)rem;
		}
	}
	if (v > INT64_MAX)
		v = INT64_MAX;
	*out = q.neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int
quantity_milli(const char *s, int64_t *out)
{
	return quantity_scaled(s, 3, out);
}

int
quantity_value(const char *s, int64_t *out)
{
	return quantity_scaled(s, 0, out);
}

void
quantity_fmt_cpu(int64_t m, char *dst, size_t n)
{
	if (m < 0)
		snprintf(dst, n, "-");
	else if (m >= 1000 && m % 1000 == 0)
		snprintf(dst, n, "%lld", (long long)(m / 1000));
	else
		snprintf(dst, n, "%lldm", (long long)m);
}

void
quantity_fmt_mem(int64_t b, char *dst, size_t n)
{
	const int64_t Ki = 1024, Mi = Ki * 1024, Gi = Mi * 1024;

	if (b < 0)
		snprintf(dst, n, "-");
	else if (b >= Gi) {
		if (b % Gi == 0)
			snprintf(dst, n, "%lldGi", (long long)(b / Gi));
		else
			snprintf(dst, n, "%.1fGi", (double)b / (double)Gi);
	} else if (b >= Mi)
		snprintf(dst, n, "%lldMi", (long long)(b / Mi));
	else if (b >= Ki)
		snprintf(dst, n, "%lldKi", (long long)(b / Ki));
	else
		snprintf(dst, n, "%lld", (long long)b);
}
