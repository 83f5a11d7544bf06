/* quantity: Kubernetes resource quantities ("100m", "1.5Gi", "129e6",
 * "12345678n") parsed exactly (integer arithmetic, rounded up like
 * resource.Quantity.ScaledValue) and formatted the way kubectl shows
 * them ("13m", "151Mi"). */
#ifndef SCRY_QUANTITY_H
#define SCRY_QUANTITY_H
#include <stddef.h>
#include <stdint.h>

/* Value * 10^scale rounded up; 0 or -1 on a malformed quantity.
 * Saturates at INT64_MAX. */
int	quantity_scaled(const char *s, int scale, int64_t *out);
/* Millicores from a CPU quantity ("500m" -> 500, "2" -> 2000). */
int	quantity_milli(const char *s, int64_t *out);
/* Base units (bytes for memory). */
int	quantity_value(const char *s, int64_t *out);
/* "1500m" / "2" style CPU (millicores). */
void	quantity_fmt_cpu(int64_t milli, char *dst, size_t n);
/* "512Mi" / "1.5Gi" / "900Ki" style memory (bytes). */
void	quantity_fmt_mem(int64_t bytes, char *dst, size_t n);

#endif
