/* The path attribute table: one entry per attribute code.
 *
 * Each entry says what the RFCs expect of the attribute (flags, length,
 * what to do when it is malformed, RFC 7606) and how ExaBGP 4.2 prints it
 * in its JSON and text API output.  The decoder (update/update_parse.c) runs
 * attr_validate() on every received attribute; the API encoders run
 * attrset_json()/attrset_text() on interned sets.
 *
 * Implementation is split by attribute group: attr_table.c (table, basic
 * attributes, dispatch), attr_aspath.c, attr_community.c, attr_misc.c
 * (PMSI, AIGP, Prefix-SID) and attr_format.c (string builder). */
#ifndef FASTBGP_ATTR_ATTR_TABLE_H
#define FASTBGP_ATTR_ATTR_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "attr/attr.h"
#include "attr/attrset.h"
#include "wire/buf.h"

/* RFC 7606 outcome for one attribute, from mildest to most severe. */
enum attr_action {
	ATTR_OK = 0,
	ATTR_DISCARD = 1,           /* "attribute discard": drop it, keep the routes */
	ATTR_TREAT_AS_WITHDRAW = 2, /* "treat-as-withdraw": the UPDATE's NLRI are withdrawn */
	ATTR_RESET = 3,             /* "session reset": NOTIFICATION code/subcode */
};

struct attr_verdict {
	uint8_t action;  /* enum attr_action */
	uint8_t code;    /* NOTIFICATION code and subcode when action == ATTR_RESET; */
	uint8_t subcode; /* the data to send is the whole attribute (flags .. value) */
	const char *reason; /* static text for the log, NULL when ATTR_OK */
};

/* What validation needs to know about the session. */
struct attr_ctx {
	int asn4; /* 4-octet ASNs negotiated: AS_PATH and AGGREGATOR carry 4-byte ASNs */
	int ebgp; /* the peer is external: LOCAL_PREF is discarded, AS_CONFED segments refused */
};

struct attr_def {
	uint8_t code;
	uint8_t flags;     /* the OPTIONAL/TRANSITIVE bits the RFC specifies; also the
			    * flags the decoder stores in an attrset */
	uint8_t malformed; /* enum attr_action for a malformed value or conflicting flags */
	const char *name;  /* ExaBGP's attribute name ("as-path", "community", ...) */
	/* Checks a value as received on the wire; returns and fills v->action. */
	int (*validate)(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
			struct attr_verdict *v);
	/* Print a value in its canonical (attrset) form.  json writes complete
	 * '"key": value' fragments, text writes ' key value' with the leading
	 * space, both as ExaBGP 4.2 does.  NULL: never printed (NEXT_HOP). */
	void (*json)(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);
	void (*text)(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);
};

/* The entry for a code, NULL when fastbgp does not know the attribute. */
const struct attr_def *attr_def_get(uint8_t code);

/* ExaBGP's name for a code: "origin", ..., "unknown-attribute-0x63". */
const char *attr_name(uint8_t code, char buf[32]);

/* RFC 7606 verdict for one received attribute: flag conflicts and the
 * per-attribute checks for known codes; for unknown codes: well-known
 * (OPTIONAL clear) => reset 3/2, optional non-transitive => discard,
 * optional transitive => ok (kept with the PARTIAL bit set).  The checks of
 * the whole UPDATE (duplicates, missing attributes, MP_REACH contents) are
 * update_parse()'s. */
int attr_validate(uint8_t code, uint8_t flags, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
		  struct attr_verdict *v);

/* Sets v to the definition's malformed action with the given reason. */
int attr_malformed(const struct attr_def *d, struct attr_verdict *v, const char *reason);

/* ---- printing, ExaBGP 4.2 style ------------------------------------------
 * Values are in attrset form: AS_PATH with 4-byte ASNs, AGGREGATOR 8 bytes.
 * A value that does not parse is printed as a generic attribute. */

/* The content of ExaBGP's "attribute": { ... } object for a set:
 * '"origin": "igp", "as-path": [ 65001, 65002 ], "confederation-path": [], ...'
 * attributes in code order, NEXT_HOP left out (it goes with the NLRI). */
void attrset_json(struct wbuf *w, const struct attrset *s);
/* ExaBGP's text form: ' origin igp as-path [ 65001 65002 ] med 100 ...'
 * (each attribute with a leading space; next-hop left out). */
void attrset_text(struct wbuf *w, const struct attrset *s);
/* One attribute (any code, generic form when unknown). */
void attr_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);
void attr_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);
/* The generic form: '"attribute-0x99-0xE0": "0x00000064"' and
 * ' attribute [ 0x99 0xE0 0x00000064 ]'. */
void attr_generic_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);
void attr_generic_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len);

/* ---- AS_PATH helpers (attr_aspath.c) ------------------------------------ */

/* Checks the segments of an AS_PATH or AS4_PATH (RFC 7606 7.2): known
 * segment types, no empty segment, no overrun or underrun.  asn_size is 2
 * or 4.  Returns NULL when well formed, else the reason; *confed tells
 * whether AS_CONFED_* segments were seen. */
const char *aspath_check(const uint8_t *val, size_t len, int asn_size, int *confed);
/* Appends a well-formed 2-octet AS_PATH rewritten with 4-octet ASNs. */
void aspath_widen(struct wbuf *w, const uint8_t *val, size_t len);
/* Path length as RFC 4271 9.1.2.2 / RFC 6793 4.2.3 count it: an AS_SET
 * counts one, confederation segments zero.  val: 4-octet form. */
size_t aspath_count(const uint8_t *val, size_t len);
/* RFC 6793 4.2.3: rebuilds the path from a 4-octet AS_PATH (widened) and
 * an AS4_PATH, both well formed, appending the result to w. */
void aspath_merge_as4(struct wbuf *w, const uint8_t *as_path, size_t len, const uint8_t *as4_path, size_t len4);

/* ---- communities (attr_community.c) -------------------------------------- */

/* ExaBGP's string for one extended community ("target:65000:100",
 * "rate-limit:0", ...); writes nothing for types ExaBGP does not decode
 * and returns 0 then, 1 otherwise. */
int extcommunity_string(struct wbuf *w, const uint8_t c[8]);

/* ---- per-attribute functions the table points to (internal) ------------- */
#define ATTR_VALIDATE_FN(n)                                                                      \
	int n(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx, \
	      struct attr_verdict *v)
#define ATTR_PRINT_FN(n) void n(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
ATTR_VALIDATE_FN(aspath_validate);
ATTR_VALIDATE_FN(as4path_validate);
ATTR_PRINT_FN(aspath_json);
ATTR_PRINT_FN(aspath_text);
ATTR_PRINT_FN(as4path_json);
ATTR_PRINT_FN(as4path_text);
ATTR_VALIDATE_FN(community_validate);
ATTR_VALIDATE_FN(extcommunity_validate);
ATTR_VALIDATE_FN(ipv6_extcommunity_validate);
ATTR_VALIDATE_FN(largecommunity_validate);
ATTR_PRINT_FN(community_json);
ATTR_PRINT_FN(community_text);
ATTR_PRINT_FN(extcommunity_json);
ATTR_PRINT_FN(extcommunity_text);
ATTR_PRINT_FN(ipv6_extcommunity_json);
ATTR_PRINT_FN(ipv6_extcommunity_text);
ATTR_PRINT_FN(largecommunity_json);
ATTR_PRINT_FN(largecommunity_text);
ATTR_VALIDATE_FN(pmsi_validate);
ATTR_VALIDATE_FN(aigp_validate);
ATTR_VALIDATE_FN(prefixsid_validate);
ATTR_VALIDATE_FN(bgpls_validate);
ATTR_PRINT_FN(pmsi_json);
ATTR_PRINT_FN(pmsi_text);
ATTR_PRINT_FN(aigp_json);
ATTR_PRINT_FN(aigp_text);
ATTR_PRINT_FN(prefixsid_json);
ATTR_PRINT_FN(prefixsid_text);
ATTR_PRINT_FN(bgpls_attr_json); /* attr_bgpls.c */
ATTR_PRINT_FN(bgpls_attr_text);

/* ---- string builder over struct wbuf (attr_format.c) ---------------------
 * A wbuf used for text: wb_init() a growing one, or wb_init_fixed() over a
 * char array (->err is set when it overflows). */
void sb_puts(struct wbuf *w, const char *s);
void sb_printf(struct wbuf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_u32(struct wbuf *w, uint32_t v);
void sb_u64(struct wbuf *w, uint64_t v);
/* Hex digits of p[0..n) without prefix; upper or lower case. */
void sb_hex(struct wbuf *w, const uint8_t *p, size_t n, int upper);
void sb_ipv4(struct wbuf *w, const uint8_t *a4);
void sb_ipv6(struct wbuf *w, const uint8_t *a16);
/* A JSON string literal: quotes, backslash escapes, \u00XX for controls. */
void sb_json_string(struct wbuf *w, const char *s, size_t n);
/* NUL-terminates the text (the NUL is not counted in ->len) and returns it;
 * "" when the buffer failed. */
const char *sb_cstr(struct wbuf *w);

#endif
