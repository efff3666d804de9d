/* Output queue of a helper (see outq.h). */
#include "api/outq.h"

#include <stdlib.h>
#include <string.h>

void api_outq_init(struct api_outq *q, size_t high, size_t low)
{
	memset(q, 0, sizeof(*q));
	q->high = high ? high : 1;
	q->low = low < q->high ? low : q->high - 1;
}

static void free_chain(struct api_chunk *c)
{
	while (c) {
		struct api_chunk *n = c->next;
		free(c);
		c = n;
	}
}

void api_outq_free(struct api_outq *q)
{
	free_chain(q->head);
	memset(q, 0, sizeof(*q));
}

void api_outq_clear(struct api_outq *q)
{
	struct api_chunk *keep = q->head, *last = NULL;
	for (size_t i = 0; i < q->inflight && keep; i++) {
		last = keep;
		keep = keep->next;
	}
	/* keep now points at the first chunk not in flight */
	for (struct api_chunk *c = keep; c; c = c->next) {
		q->entries -= c->entries;
		q->bytes -= c->len;
	}
	free_chain(keep);
	if (last) {
		last->next = NULL;
		q->tail = last;
	} else {
		q->head = q->tail = NULL;
	}
	if (q->above && q->entries <= q->low)
		q->above = false;
}

int api_outq_push2(struct api_outq *q, const void *a, size_t alen, const void *b, size_t blen)
{
	size_t n = alen + blen;
	struct api_chunk *c = q->tail;
	if (!c || c->sealed || c->cap - c->len < n) {
		size_t cap = n > API_OUTQ_CHUNK ? n : API_OUTQ_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return -1;
		c->next = NULL;
		c->len = 0;
		c->cap = cap;
		c->entries = 0;
		c->sealed = false;
		if (q->tail)
			q->tail->next = c;
		else
			q->head = c;
		q->tail = c;
	}
	if (alen)
		memcpy(c->data + c->len, a, alen);
	if (blen)
		memcpy(c->data + c->len + alen, b, blen);
	c->len += n;
	c->entries++;
	q->entries++;
	q->bytes += n;
	if (!q->above && q->entries >= q->high) {
		q->above = true;
		return 1;
	}
	return 0;
}

size_t api_outq_take(struct api_outq *q, struct api_iov *iov, size_t max)
{
	if (q->inflight)
		return 0;
	size_t n = 0;
	for (struct api_chunk *c = q->head; c && n < max; c = c->next) {
		if (!c->len)
			break;
		c->sealed = true;
		iov[n].base = c->data;
		iov[n].len = c->len;
		n++;
	}
	q->inflight = n;
	return n;
}

int api_outq_written(struct api_outq *q)
{
	for (size_t i = 0; i < q->inflight && q->head; i++) {
		struct api_chunk *c = q->head;
		q->head = c->next;
		q->entries -= c->entries;
		q->bytes -= c->len;
		free(c);
	}
	if (!q->head)
		q->tail = NULL;
	q->inflight = 0;
	if (q->above && q->entries <= q->low) {
		q->above = false;
		return 1;
	}
	return 0;
}
