/* AS_PATH and AS4_PATH: validation (RFC 4271 4.3, RFC 7606 7.2, RFC 6793),
 * 2-octet to 4-octet conversion, the AS4_PATH merge and ExaBGP's output.
 *
 * Segment layout: [type:1][count:1][count ASNs of 2 or 4 bytes]. */
#include <string.h>

#include "attr/attr_table.h"

const char *aspath_check(const uint8_t *val, size_t len, int asn_size, int *confed)
{
	struct rbuf r;
	rb_init(&r, val, len);
	*confed = 0;
	while (rb_left(&r)) {
		uint8_t type, count;
		if (rb_u8(&r, &type) < 0 || rb_u8(&r, &count) < 0)
			return "truncated segment header";
		if (type < AS_SET || type > AS_CONFED_SET)
			return "unknown segment type";
		if (count == 0)
			return "empty segment";
		if (rb_skip(&r, (size_t)count * (size_t)asn_size) < 0)
			return "segment overruns the attribute";
		if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET)
			*confed = 1;
	}
	return NULL;
}

void aspath_widen(struct wbuf *w, const uint8_t *val, size_t len)
{
	struct rbuf r;
	rb_init(&r, val, len);
	uint8_t type, count;
	while (rb_u8(&r, &type) == 0 && rb_u8(&r, &count) == 0) {
		wb_u8(w, type);
		wb_u8(w, count);
		for (unsigned i = 0; i < count; i++) {
			uint16_t as;
			if (rb_u16(&r, &as) < 0)
				return;
			wb_u32(w, as);
		}
	}
}

size_t aspath_count(const uint8_t *val, size_t len)
{
	struct rbuf r;
	rb_init(&r, val, len);
	size_t n = 0;
	uint8_t type, count;
	while (rb_u8(&r, &type) == 0 && rb_u8(&r, &count) == 0) {
		if (type == AS_SEQUENCE)
			n += count;
		else if (type == AS_SET)
			n += 1;
		if (rb_skip(&r, (size_t)count * 4) < 0)
			break;
	}
	return n;
}

void aspath_merge_as4(struct wbuf *w, const uint8_t *as_path, size_t len, const uint8_t *as4_path, size_t len4)
{
	size_t n2 = aspath_count(as_path, len), n4 = aspath_count(as4_path, len4);
	if (n2 < n4) { /* RFC 6793 4.2.3: AS4_PATH is ignored */
		wb_bytes(w, as_path, len);
		return;
	}
	size_t need = n2 - n4, taken = 0;
	struct rbuf r, r4;
	rb_init(&r, as_path, len);
	rb_init(&r4, as4_path, len4);
	size_t last_seq = (size_t)-1; /* offset in w of the last AS_SEQUENCE header written */
	uint8_t type, count;
	while (taken < need && rb_u8(&r, &type) == 0 && rb_u8(&r, &count) == 0) {
		const uint8_t *asns = rb_cur(&r);
		if (rb_skip(&r, (size_t)count * 4) < 0)
			break;
		uint8_t take = count;
		if (type == AS_SEQUENCE) {
			if (need - taken < count)
				take = (uint8_t)(need - taken);
			taken += take;
			last_seq = w->len;
		} else {
			last_seq = (size_t)-1;
			if (type == AS_SET)
				taken += 1;
		}
		wb_u8(w, type);
		wb_u8(w, take);
		wb_bytes(w, asns, (size_t)take * 4);
	}
	/* Join the leading part and AS4_PATH's first sequence when they fit. */
	if (last_seq != (size_t)-1 && !w->err && rb_left(&r4) >= 2 && as4_path[0] == AS_SEQUENCE &&
	    (size_t)w->data[last_seq + 1] + as4_path[1] <= 255) {
		w->data[last_seq + 1] = (uint8_t)(w->data[last_seq + 1] + as4_path[1]);
		wb_bytes(w, as4_path + 2, len4 - 2);
		return;
	}
	wb_bytes(w, as4_path, len4);
}

int aspath_validate(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
		    struct attr_verdict *v)
{
	int confed;
	const char *why = aspath_check(val, len, ctx->asn4 ? 4 : 2, &confed);
	if (why)
		return attr_malformed(d, v, why);
	/* RFC 7606 7.2: we are in no confederation, so an external peer must
	 * not send confederation segments. */
	if (confed && ctx->ebgp)
		return attr_malformed(d, v, "AS_CONFED segment from an external peer");
	return v->action = ATTR_OK;
}

int as4path_validate(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
		     struct attr_verdict *v)
{
	int confed;
	/* RFC 6793 4.1: a NEW speaker ignores AS4_PATH from a NEW speaker. */
	if (ctx->asn4) {
		v->action = ATTR_DISCARD;
		v->reason = "AS4_PATH from a 4-octet AS speaker";
		return v->action;
	}
	if (len == 0)
		return attr_malformed(d, v, "empty AS4_PATH");
	const char *why = aspath_check(val, len, 4, &confed);
	if (why)
		return attr_malformed(d, v, why);
	if (confed) /* RFC 6793 6 */
		return attr_malformed(d, v, "AS_CONFED segment in AS4_PATH");
	return v->action = ATTR_OK;
}

/* ExaBGP flattens the path into four lists (sequence, set, confederation
 * sequence, confederation set), each the concatenation of its segments. */
struct flat_path {
	const uint8_t *p;
	size_t len;
};

static void put_list(struct wbuf *w, const struct flat_path *fp, uint8_t want, const char *sep)
{
	struct rbuf r;
	rb_init(&r, fp->p, fp->len);
	uint8_t type, count;
	int first = 1;
	while (rb_u8(&r, &type) == 0 && rb_u8(&r, &count) == 0) {
		for (unsigned i = 0; i < count; i++) {
			uint32_t as;
			if (rb_u32(&r, &as) < 0)
				return;
			if (type != want)
				continue;
			if (!first)
				sb_puts(w, sep);
			first = 0;
			sb_u32(w, as);
		}
	}
}

static size_t list_len(const struct flat_path *fp, uint8_t want)
{
	struct rbuf r;
	rb_init(&r, fp->p, fp->len);
	uint8_t type, count;
	size_t n = 0;
	while (rb_u8(&r, &type) == 0 && rb_u8(&r, &count) == 0) {
		if (type == want)
			n += count;
		if (rb_skip(&r, (size_t)count * 4) < 0)
			break;
	}
	return n;
}

static int path_ok4(const uint8_t *val, size_t len)
{
	int confed;
	return aspath_check(val, len, 4, &confed) == NULL;
}

/* '"as-path": [ 1, 2 ], "as-set": [ 3 ], "confederation-path": [], ...' */
void aspath_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0)
		return; /* ExaBGP drops an empty AS_PATH when decoding it */
	if (!path_ok4(val, len)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	static const struct {
		const char *key;
		uint8_t type;
		int always;
	} parts[] = {
		{"as-path", AS_SEQUENCE, 1},
		{"as-set", AS_SET, 0},
		{"confederation-path", AS_CONFED_SEQUENCE, 1},
		{"confederation-set", AS_CONFED_SET, 0},
	};
	struct flat_path fp = {val, len};
	int first = 1;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = list_len(&fp, parts[i].type);
		if (!n && !parts[i].always)
			continue;
		if (!first)
			sb_puts(w, ", ");
		first = 0;
		sb_printf(w, "\"%s\": ", parts[i].key);
		if (!n) {
			sb_puts(w, "[]");
			continue;
		}
		sb_puts(w, "[ ");
		put_list(w, &fp, parts[i].type, ", ");
		sb_puts(w, " ]");
	}
}

/* ExaBGP's ASPath.string(): "[ 1 2 ]", "[ 1 ( 2 3 ) ]", "[ ( 2 3 )]", "[ ]". */
static void put_seq_set(struct wbuf *w, const struct flat_path *fp, uint8_t seq, uint8_t set)
{
	size_t lseq = list_len(fp, seq), lset = list_len(fp, set);
	if (lseq) {
		sb_puts(w, "[ ");
		put_list(w, fp, seq, " ");
		if (lset) {
			sb_puts(w, " ( ");
			put_list(w, fp, set, " ");
			sb_puts(w, " ) ]");
		} else {
			sb_puts(w, " ]");
		}
	} else if (lset) {
		sb_puts(w, "[ ( ");
		put_list(w, fp, set, " ");
		sb_puts(w, " )]");
	} else {
		sb_puts(w, "[ ]");
	}
}

void aspath_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0)
		return;
	if (!path_ok4(val, len)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	struct flat_path fp = {val, len};
	sb_puts(w, " as-path ");
	put_seq_set(w, &fp, AS_SEQUENCE, AS_SET);
	if (list_len(&fp, AS_CONFED_SEQUENCE) || list_len(&fp, AS_CONFED_SET))
		put_seq_set(w, &fp, AS_CONFED_SEQUENCE, AS_CONFED_SET);
}

/* ExaBGP has no representation for AS4_PATH (it merges it away): were one
 * left in a set, it prints the generic key with the path's text. */
void as4path_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || !path_ok4(val, len)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	struct flat_path fp = {val, len};
	sb_printf(w, "\"attribute-0x%02X-0x%02X\": \"", code, flags);
	put_seq_set(w, &fp, AS_SEQUENCE, AS_SET);
	wb_u8(w, '"');
}

void as4path_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || !path_ok4(val, len)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	struct flat_path fp = {val, len};
	sb_printf(w, " attribute [ 0x%02X 0x%02X ", code, flags);
	put_seq_set(w, &fp, AS_SEQUENCE, AS_SET);
	sb_puts(w, " ]");
}
