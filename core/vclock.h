/* vclock: a virtual wall clock for the demo stack and tests
 * (SCRY_DEMO_CLOCK; never needed in production).
 *
 * A clock is "START[,SPEED[,EPOCH]]": it reads START (RFC3339 or unix
 * seconds) at the real time EPOCH (unix seconds, decimals allowed; default:
 * the moment it is parsed) and runs SPEED times as fast as real time
 * (1 to 3600, decimals allowed, default 1).  Before EPOCH it reads times
 * before START: the clock is one line through (EPOCH, START), so every
 * process given the same triple agrees on the virtual now, whenever it
 * started.  The demo's story servers (tests/servers/story.py) parse the
 * same text. */
#ifndef SCRY_VCLOCK_H
#define SCRY_VCLOCK_H

#include "core/ts.h"

struct vclock {
	int	 on;
	tns	 start;		/* virtual time at epoch */
	tns	 epoch;		/* real time (ns) */
	double	 speed;
};

/* Parse spec (see above); real_now is the default epoch.  0, or -1 with
 * an allocated message in *err. */
int	vclock_parse(const char *spec, tns real_now, struct vclock *c, char **err);
/* The virtual time at real time real_now (real_now itself when off). */
tns	vclock_now(const struct vclock *c, tns real_now);
/* Real milliseconds for ms of virtual time (at least 1; ms when off). */
int64_t	vclock_real_ms(const struct vclock *c, int64_t ms);

#endif
