/* log: scry's own log.  Never stderr while the terminal is ours: lines go
 * to a bounded in-memory ring (shown by :log) and, when asked with --log
 * FILE or SCRY_LOG, to a 0600 file.  Every line passes secret masking. */
#ifndef SCRY_LOG_H
#define SCRY_LOG_H
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Open the log file (O_EXCL not required; O_NOFOLLOW, mode 0600). */
int	log_open_file(const char *path, char **err);
void	log_set_level(enum log_level lvl);
void	log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

/* Ring access, oldest first: returns NULL past the end. */
size_t	     log_count(void);
const char  *log_line(size_t i);
/* When the terminal is not ours (--check, --snapshot setup errors) lines
 * may also go to stderr. */
void	log_to_stderr(int on);
void	log_close(void);

#endif
