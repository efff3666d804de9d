/* Bounded wire reader and growable wire writer.
 *
 * Every byte that comes from a peer is read through struct rbuf: each getter
 * checks the remaining length and returns -1 on a short read, and rb_sub()
 * hands out a bounded sub-view so a TLV or attribute parser can never read
 * past its own length field.  No wire code does raw pointer arithmetic on
 * peer data outside this file.
 *
 * struct wbuf is the writer: it grows on demand, remembers allocation failure
 * in ->err (checked once at the end, not after every call), and supports
 * reserving a length field and patching it afterwards. */
#ifndef FASTBGP_WIRE_BUF_H
#define FASTBGP_WIRE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t pos;
};

static inline void rb_init(struct rbuf *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
}
static inline size_t rb_left(const struct rbuf *r) { return r->len - r->pos; }
static inline const uint8_t *rb_cur(const struct rbuf *r) { return r->p + r->pos; }

static inline int rb_u8(struct rbuf *r, uint8_t *v)
{
	if (rb_left(r) < 1)
		return -1;
	*v = r->p[r->pos++];
	return 0;
}
static inline int rb_u16(struct rbuf *r, uint16_t *v)
{
	if (rb_left(r) < 2)
		return -1;
	*v = (uint16_t)((r->p[r->pos] << 8) | r->p[r->pos + 1]);
	r->pos += 2;
	return 0;
}
static inline int rb_u32(struct rbuf *r, uint32_t *v)
{
	if (rb_left(r) < 4)
		return -1;
	const uint8_t *q = r->p + r->pos;
	*v = ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
	r->pos += 4;
	return 0;
}
static inline int rb_bytes(struct rbuf *r, void *out, size_t n)
{
	if (rb_left(r) < n)
		return -1;
	memcpy(out, r->p + r->pos, n);
	r->pos += n;
	return 0;
}
static inline int rb_skip(struct rbuf *r, size_t n)
{
	if (rb_left(r) < n)
		return -1;
	r->pos += n;
	return 0;
}
/* A bounded view of the next n bytes; the parent skips past them. */
static inline int rb_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	if (rb_left(r) < n)
		return -1;
	rb_init(sub, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

struct wbuf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int err;   /* set on allocation failure; all later writes are no-ops */
	int fixed; /* data is caller-owned (e.g. on the stack): never realloc */
};

/* A writer over a caller-owned buffer: overflowing it sets ->err. */
static inline void wb_init_fixed(struct wbuf *w, void *buf, size_t cap)
{
	w->data = buf;
	w->len = 0;
	w->cap = cap;
	w->err = 0;
	w->fixed = 1;
}

void wb_init(struct wbuf *w, size_t cap_hint);
void wb_free(struct wbuf *w);
void wb_reset(struct wbuf *w);
int wb_grow(struct wbuf *w, size_t need);

static inline int wb_room(struct wbuf *w, size_t n)
{
	if (w->err)
		return -1;
	if (w->len + n <= w->cap)
		return 0;
	return wb_grow(w, n);
}
static inline void wb_u8(struct wbuf *w, uint8_t v)
{
	if (wb_room(w, 1) == 0)
		w->data[w->len++] = v;
}
static inline void wb_u16(struct wbuf *w, uint16_t v)
{
	if (wb_room(w, 2) == 0) {
		w->data[w->len++] = (uint8_t)(v >> 8);
		w->data[w->len++] = (uint8_t)v;
	}
}
static inline void wb_u32(struct wbuf *w, uint32_t v)
{
	if (wb_room(w, 4) == 0) {
		w->data[w->len++] = (uint8_t)(v >> 24);
		w->data[w->len++] = (uint8_t)(v >> 16);
		w->data[w->len++] = (uint8_t)(v >> 8);
		w->data[w->len++] = (uint8_t)v;
	}
}
static inline void wb_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (n && wb_room(w, n) == 0) {
		memcpy(w->data + w->len, p, n);
		w->len += n;
	}
}
/* Reserve a 1- or 2-byte length field; returns its offset for wb_patch*. */
static inline size_t wb_reserve(struct wbuf *w, size_t n)
{
	size_t off = w->len;
	if (wb_room(w, n) == 0) {
		memset(w->data + w->len, 0, n);
		w->len += n;
	}
	return off;
}
static inline void wb_patch8(struct wbuf *w, size_t off, uint8_t v)
{
	if (!w->err && off < w->len)
		w->data[off] = v;
}
static inline void wb_patch16(struct wbuf *w, size_t off, uint16_t v)
{
	if (!w->err && off + 2 <= w->len) {
		w->data[off] = (uint8_t)(v >> 8);
		w->data[off + 1] = (uint8_t)v;
	}
}

static inline uint16_t get_u16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t get_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
