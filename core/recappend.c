/* recappend: a notes frame, a new index and trailer appended to a
 * recording, or a copy of it with them.
 * Invariant: bytes before the old trailer are never rewritten. */
#include "core/recappend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/recorder.h"
#include "core/xalloc.h"

/* The index of the saved file: the reader's frames plus the new one. */
static void
save_index(const struct recread *r, struct buf *b, uint64_t notes_off, const struct rec_frame *nf)
{
	struct rec_index_frame *fr = xcalloc(r->nchunks + r->nnotes + 1, sizeof *fr);
	char **keys = xcalloc(r->nkeys + 1, sizeof *keys);
	struct buf marks, tmp;
	size_t n = 0, nk = 0, it = 0, ic = 0, in = 0;
	const char *k;
	void *v;
	tns prev = 0;

	while (ic < r->nchunks || in < r->nnotes) {	/* merge by offset: file order */
		const struct recread_frame *x = in >= r->nnotes ||
		    (ic < r->nchunks && r->chunks[ic].off < r->notes[in].off) ?
		    &r->chunks[ic++] : &r->notes[in++];
		fr[n++] = (struct rec_index_frame){ x->off, x->h.type, x->h.t_first, x->h.t_last,
		    x->h.nrecords, x->kinds };
	}
	fr[n++] = (struct rec_index_frame){ notes_off, RF_NOTES, nf->t_first, nf->t_last,
	    nf->nrecords, 1u << EV_ANNOTATION };
	while (hmap_next(&r->keys, &it, &k, &v) && nk < r->nkeys)
		keys[nk++] = (char *)k;
	buf_init(&marks, RECREAD_MARKS_MAX + (1u << 20));
	buf_init(&tmp, 64u << 20);
	for (size_t i = 0; i < r->nmarks; i++) {
		buf_reset(&tmp);
		if (event_encode(r->marks[i].ev, &tmp) == 0)
			rec_put_record(&marks, RR_EVENT, r->marks[i].rtime, &prev, tmp.data, tmp.len);
	}
	rec_put_index(b, fr, n, keys, nk, marks.data, marks.len, r->t_end, r->dropped);
	buf_free(&marks);
	buf_free(&tmp);
	free(keys);
	free(fr);
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Open the target: the recording itself (checked unchanged, cut back to
 * its last frame) or a new copy. Returns fd and the base offset. */
static int
save_target(const struct recread *r, const char *path, int64_t *base, char **err)
{
	struct stat st;
	int fd;

	*base = (int64_t)(r->indexed ? r->len - REC_TRAILER_LEN : r->valid_end);
	if (!path) {
		if (!r->path) {
			*err = xstrdup("this recording has no file to save into");
			return -1;
		}
		fd = open(r->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			*err = xasprintf("cannot write %s: %s (use :w FILE to save a copy)", r->path,
			    strerror(errno));
			return -1;
		}
		if (fstat(fd, &st) < 0 || st.st_dev != r->dev || st.st_ino != r->ino ||
		    (uint64_t)st.st_size != r->len) {
			close(fd);
			*err = xasprintf("%s changed on disk since it was opened; use :w FILE", r->path);
			return -1;
		}
		/* the old trailer goes (a crash from here on leaves a file that is
		 * read by scanning); frames are only ever appended */
		if (ftruncate(fd, (off_t)*base) < 0 || lseek(fd, 0, SEEK_END) < 0) {
			*err = xasprintf("cannot write %s: %s", r->path, strerror(errno));
			close(fd);
			return -1;
		}
		return fd;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, r->data, (size_t)*base) < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static int
save_frames(const struct recread *r, struct ev_annotation *const *notes, size_t nn, int fd,
    int64_t base, char **err)
{
	struct buf recs, tmp, idx, tr;
	struct rec_frame nf, xf;
	tns prev;
	int64_t ioff;
	int rc = -1;

	buf_init(&recs, REC_RAW_MAX);
	buf_init(&tmp, 1u << 20);
	memset(&nf, 0, sizeof nf);
	nf.type = RF_NOTES;
	nf.t_first = nf.t_last = notes[0]->at;
	for (size_t i = 0; i < nn; i++) {
		if (notes[i]->at < nf.t_first)
			nf.t_first = notes[i]->at;
		if (notes[i]->at > nf.t_last)
			nf.t_last = notes[i]->at;
	}
	prev = nf.t_first;
	for (size_t i = 0; i < nn; i++) {
		struct event ev = { EV_ANNOTATION, notes[i]->at, "", notes[i] };
		buf_reset(&tmp);
		event_encode(&ev, &tmp);
		rec_put_record(&recs, RR_EVENT, ev.t, &prev, tmp.data, tmp.len);
	}
	nf.nrecords = (uint32_t)nn;
	buf_init(&idx, REC_RAW_MAX);
	buf_init(&tr, REC_TRAILER_LEN);
	if (rec_write_frame(fd, base, &nf, recs.data, recs.len, 3) < 0)
		goto fail;
	ioff = base + REC_FRAME_HDR_LEN + nf.stored_len;
	save_index(r, &idx, (uint64_t)base, &nf);
	memset(&xf, 0, sizeof xf);
	xf.type = RF_INDEX;
	xf.t_first = r->t_start;
	xf.t_last = r->t_end;
	if (rec_write_frame(fd, ioff, &xf, idx.data, idx.len, 3) < 0)
		goto fail;
	rec_put_trailer(&tr, (uint64_t)ioff);
	if (pwrite(fd, tr.data, tr.len, (off_t)(ioff + REC_FRAME_HDR_LEN + xf.stored_len)) !=
	    (ssize_t)tr.len || fsync(fd) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	*err = xasprintf("writing the annotations: %s", strerror(errno));
out:
	buf_free(&recs);
	buf_free(&tmp);
	buf_free(&idx);
	buf_free(&tr);
	return rc;
}

int
rec_append_notes(const struct recread *r, const char *path, struct ev_annotation *const *notes,
    size_t n, char **err)
{
	int64_t base;
	int fd, rc;

	if ((fd = save_target(r, path, &base, err)) < 0)
		return -1;
	rc = n ? save_frames(r, notes, n, fd, base, err) : 0;
	if (close(fd) < 0 && rc == 0) {
		*err = xasprintf("closing %s: %s", path ? path : r->path, strerror(errno));
		rc = -1;
	}
	return rc;
}
