/* vclock: the virtual clock of SCRY_DEMO_CLOCK (see vclock.h). */
#include "core/vclock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define SPEED_MAX	3600.0

/* One comma-separated field of spec into dst (NUL-terminated). */
static const char *
field(const char *s, char *dst, size_t n)
{
	size_t l = strcspn(s, ",");

	if (l >= n)
		l = n - 1;
	memcpy(dst, s, l);
	dst[l] = '\0';
	s += strcspn(s, ",");
	return *s == ',' ? s + 1 : NULL;
}

static int
number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!*s)
		return -1;
	v = strtod(s, &end);
	if (*end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
vclock_parse(const char *spec, tns real_now, struct vclock *c, char **err)
{
	char start[64] = "", speed[32] = "", epoch[40] = "";
	const char *rest;
	double v;

	memset(c, 0, sizeof *c);
	c->speed = 1;
	c->epoch = real_now;
	rest = field(spec, start, sizeof start);
	if (rest && (rest = field(rest, speed, sizeof speed)))
		rest = field(rest, epoch, sizeof epoch);
	if (rest) {
		*err = xasprintf("SCRY_DEMO_CLOCK: '%s' has more than three fields "
		    "(START,SPEED,EPOCH)", spec);
		return -1;
	}
	if (ts_parse_time(start, real_now, 1, &c->start) < 0) {
		*err = xasprintf("SCRY_DEMO_CLOCK: '%s' is not a time (RFC3339 or unix seconds)",
		    start);
		return -1;
	}
	if (*speed) {
		if (number(speed, 1, SPEED_MAX, &v) < 0) {
			*err = xasprintf("SCRY_DEMO_CLOCK: speed '%s' is not a number from 1 to %g",
			    speed, SPEED_MAX);
			return -1;
		}
		c->speed = v;
	}
	if (*epoch) {
		if (number(epoch, 0, 9e9, &v) < 0) {
			*err = xasprintf("SCRY_DEMO_CLOCK: epoch '%s' is not unix seconds", epoch);
			return -1;
		}
		c->epoch = (tns)llround(v * 1e9);
	}
	c->on = 1;
	return 0;
}

tns
vclock_now(const struct vclock *c, tns real_now)
{
	if (!c->on)
		return real_now;
	return c->start + (tns)llround((double)(real_now - c->epoch) * c->speed);
}

int64_t
vclock_real_ms(const struct vclock *c, int64_t ms)
{
	int64_t r;

	if (!c->on)
		return ms;
	r = (int64_t)llround((double)ms / c->speed);
	return r > 0 ? r : 1;
}
