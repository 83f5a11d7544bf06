/* units: value formatting with Grafana unit ids, 3 significant digits.
 *   s ms us/µs ns      time, auto-scaled (845 ms, 2.13 s, 4.2 min)
 *   bytes / decbytes   IEC (KiB) / SI (kB); bits, decbits
 *   reqps ops rps      rates (12.8k req/s); Bps decBps (SI, as Grafana) binBps (IEC)
 *   percent            0..100 -> "92.0 %"; percentunit 0..1 -> "92.0 %"
 *   short / none / ""  k M G T suffixes (12.8k); none: plain number
 *   anything else      a suffix after the number ("5 widgets")
 * NaN shows as "—" (no data is not zero), infinities as +Inf / -Inf. */
#ifndef SCRY_UNITS_H
#define SCRY_UNITS_H
#include <stddef.h>

/* Format v with unit; decimals >= 0 forces that many decimals. */
void	unit_format(double v, const char *unit, int decimals, char *dst, size_t n);
/* Is the unit known (for --check)? */
int	unit_known(const char *unit);
/* Nice tick step for a span, in the unit's own terms: 1, 2, 2.5, 5 x 10^k;
 * time units step by 15s, 30s, 1m, 2m, 5m, ... above 10 s; IEC bytes by
 * 1-2-5 of KiB, MiB, ... */
double	unit_tick_step(double span, int max_ticks, const char *unit);
/* An axis tick label: the scale is chosen by ref (the largest |tick|) so
 * every tick of an axis shares one suffix, and the decimals by step
 * ("0 s", "2.5 s", "5.0 s"). */
void	unit_format_axis(double v, double step, double ref, const char *unit, char *dst, size_t n);

#endif
