/* t.h: a tiny unit-test framework.  Each TEST registers itself (a
 * constructor) with the runner in tests/unit/main.c, which prints one
 * "ok - name" / "not ok - name" line per test and a count line. */
#ifndef SCRY_T_H
#define SCRY_T_H
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef void (*t_fn)(void);
void	t_register(const char *name, const char *file, t_fn fn);
void	t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Path of a fixture under tests/fixtures (static buffer). */
const char *t_fixture(const char *rel);

#define TEST(name)							\
	static void t_##name(void);					\
	__attribute__((constructor)) static void t_reg_##name(void)	\
	{ t_register(#name, __FILE__, t_##name); }			\
	static void t_##name(void)

#define CHECK(c) do { if (!(c)) t_fail(__FILE__, __LINE__, "CHECK(%s)", #c); } while (0)
/* REQUIRE: as CHECK, but a failure ends the test (what follows needs it:
 * a pointer about to be dereferenced, a file descriptor about to be used). */
#define REQUIRE(c) do { if (!(c)) { t_fail(__FILE__, __LINE__, "REQUIRE(%s)", #c); return; } } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b);	\
	if (_a != _b) t_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, _a, _b); } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b);			\
	if (!_a || !_b || strcmp(_a, _b) != 0)					\
		t_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,	\
		    _a ? _a : "(null)", _b ? _b : "(null)"); } while (0)
#define CHECK_CONTAINS(a, b) do { const char *_a = (a), *_b = (b);		\
	if (!_a || !_b || !strstr(_a, _b))					\
		t_fail(__FILE__, __LINE__, "%s == \"%s\" does not contain \"%s\"", #a, \
		    _a ? _a : "(null)", _b); } while (0)
#define CHECK_NEAR(a, b, rel) do { double _a = (a), _b = (b);			\
	if (!(fabs(_a - _b) <= (rel) * fmax(fabs(_a), fabs(_b)) || _a == _b))	\
		t_fail(__FILE__, __LINE__, "%s == %.17g, expected %.17g", #a, _a, _b); } while (0)

#endif
