/* "fastbgp decode": one message in hex printed as the JSON event ExaBGP
 * prints for it (ExaBGP 5.0's "exabgp decode", 4.2's --decode): the neighbor
 * is 127.0.0.1 / 127.0.0.1, AS 65533 both sides, 4-octet ASNs negotiated,
 * direction "in", counter 1. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/fmt.h"
#include "api/views.h"
#include "wire/header.h"

/* Hex digits, ':' and blanks ignored; -1 when something else is found. */
static long parse_hex(const char *hex, uint8_t **out)
{
	size_t n = strlen(hex);
	uint8_t *b = malloc(n / 2 + 1);
	if (!b)
		return -1;
	size_t o = 0;
	int hi = -1;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)hex[i];
		if (c == ':' || isspace(c))
			continue;
		int v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else {
			free(b);
			return -1;
		}
		if (hi < 0) {
			hi = v;
		} else {
			b[o++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(b);
		return -1;
	}
	*out = b;
	return (long)o;
}

static int decode_one(const struct api_fmt *f, struct api_neighbor *n, const uint8_t *msg, size_t len,
		      family_mask families, struct wbuf *w)
{
	struct api_ev e;
	memset(&e, 0, sizeof(e));
	e.dir = API_DIR_DECODE;
	e.type = msg[18];
	e.msg = msg;
	e.len = len;
	const uint8_t *body = msg + BGP_HEADER_LEN;
	size_t blen = len - BGP_HEADER_LEN;
	struct attr_pool pool;
	struct api_update_view *uv = NULL;
	struct open_listing *ov = NULL;
	struct notification nt;
	int rc = -1;
	attr_pool_init(&pool);
	switch (e.type) {
	case BGP_MSG_OPEN:
		ov = malloc(sizeof(*ov));
		if (ov && api_open_view_parse(ov, body, blen) == 0) {
			e.ov = ov;
			rc = api_json_encoder.open(f, w, n, &e);
		}
		break;
	case BGP_MSG_UPDATE: {
		uv = malloc(sizeof(*uv));
		if (!uv)
			break;
		api_update_view_init(uv, &pool);
		struct api_update_opts o = {true, 0, false};
		if (api_update_view_build(uv, body, blen, &o) < 0)
			break;
		bool ok = true;
		for (size_t i = 0; families && i < uv->n; i++) {
			int fam = family_find(uv->v[i].afi, uv->v[i].safi);
			if (fam < 0 || !(families & FAM_BIT(fam)))
				ok = false;
		}
		if (!ok)
			break;
		e.uv = uv;
		rc = api_encode_message(&api_json_encoder, f, w, n, &e);
		break;
	}
	case BGP_MSG_NOTIFICATION:
		if (notification_decode(body, blen, &nt) == 0) {
			e.notif = &nt;
			rc = api_json_encoder.notification(f, w, n, &e);
		}
		break;
	default:
		break;
	}
	if (uv)
		api_update_view_free(uv);
	free(uv);
	free(ov);
	attr_pool_free(&pool);
	return rc;
}

int api_decode_hex(const char *hex, const char *family, FILE *out)
{
	return api_decode_hex_as(hex, family, 4, out);
}

int api_decode_hex_as(const char *hex, const char *family, int api_version, FILE *out)
{
	uint8_t *raw = NULL;
	long n = parse_hex(hex ? hex : "", &raw);
	if (n <= 0) {
		free(raw);
		fputs("The BGP message must be an hexadecimal string.\n", out);
		return -1;
	}
	family_mask families = 0;
	if (family && *family) {
		char a[32], s[32];
		int fam = -1;
		if (sscanf(family, "%31s %31s", a, s) == 2)
			fam = family_by_name(a, s);
		if (fam < 0) {
			free(raw);
			fputs("families provided are invalid\n", out);
			return -1;
		}
		families = FAM_BIT(fam);
	}
	/* a message without its header is an UPDATE body */
	uint8_t *msg = raw;
	size_t len = (size_t)n;
	bool marker = len >= BGP_HEADER_LEN;
	for (size_t i = 0; marker && i < BGP_MARKER_LEN; i++)
		marker = raw[i] == 0xFF;
	uint8_t *wrapped = NULL;
	if (!marker) {
		wrapped = malloc(len + BGP_HEADER_LEN);
		if (!wrapped) {
			free(raw);
			return -1;
		}
		memset(wrapped, 0xFF, BGP_MARKER_LEN);
		put_u16(wrapped + 16, (uint16_t)(len + BGP_HEADER_LEN));
		wrapped[18] = BGP_MSG_UPDATE;
		memcpy(wrapped + BGP_HEADER_LEN, raw, len);
		msg = wrapped;
		len += BGP_HEADER_LEN;
	} else {
		size_t l = get_u16(raw + 16);
		if (l >= BGP_HEADER_LEN && l <= len)
			len = l;
	}

	struct api_fmt f;
	memset(&f, 0, sizeof(f));
	f.version = api_version == 5 ? 5 : 4;
	f.exabgp = f.version == 5 ? "5.0.0" : "4.0.1";
	if (gethostname(f.host, sizeof(f.host) - 1) < 0)
		snprintf(f.host, sizeof(f.host), "localhost");
	f.pid = (long)getpid();
	f.ppid = (long)getppid();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	f.now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;

	struct api_neighbor *nb = calloc(1, sizeof(*nb));
	struct wbuf w;
	wb_init(&w, 1024);
	int rc = -1;
	if (nb) {
		snprintf(nb->peer_address, sizeof(nb->peer_address), "127.0.0.1");
		snprintf(nb->local_address, sizeof(nb->local_address), "127.0.0.1");
		nb->id.local_as = nb->id.peer_as = 65533;
		nb->id.router_id = 0x0A000002; /* 10.0.0.2 */
		rc = decode_one(&f, nb, msg, len, families, &w);
	}
	if (rc == 0 && !w.err) {
		char pre[512];
		size_t pl = api_json_encoder.prefix(&f, pre, sizeof(pre), 1);
		fwrite(pre, 1, pl, out);
		fwrite(w.data, 1, w.len, out);
		fputc('\n', out);
	} else {
		fputs("invalid payload\n", out);
		rc = -1;
	}
	wb_free(&w);
	free(nb);
	free(wrapped);
	free(raw);
	return rc;
}
