/* libFuzzer harness for the FlowSpec NLRI code (src/nlri/flowspec*.c).
 *
 * Input: [mode][data].
 *   mode & 0x80 == 0: data is an MP_REACH/MP_UNREACH NLRI field of family
 *     (mode & 1 ? IPv6 : IPv4, mode & 2 ? flow-vpn : flow); every NLRI in it
 *     is decoded to text and JSON until the first malformed one.
 *   mode & 0x80: data is configuration text, one "keyword value" per line
 *     (match keywords, actions, "rd"); the words go through the builder and
 *     the action parser, and an NLRI the encoder produces must decode.
 * Build and run with fuzz/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/flowspec.h"
#include "nlri/flowspec_action.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_field(uint8_t mode, const uint8_t *p, size_t len)
{
	uint16_t afi = (mode & 1) ? AFI_IPV6 : AFI_IPV4;
	uint8_t safi = (mode & 2) ? SAFI_FLOW_VPN : SAFI_FLOW;
	struct wbuf text, json;
	char err[256];
	wb_init(&text, 0);
	wb_init(&json, 0);
	while (len) {
		long n = flow_nlri_size(p, len);
		if (n < 0)
			break;
		size_t t0 = text.len, j0 = json.len;
		if (flow_format(afi, safi, p, (size_t)n, (mode & 4) ? "192.0.2.1" : NULL, &text, &json, err,
				sizeof(err)) < 0) {
			if (text.len != t0 || json.len != j0 || !err[0])
				abort(); /* an error must leave the output as it was, with a reason */
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	wb_free(&text);
	wb_free(&json);
}

static void build(const uint8_t *p, size_t len)
{
	char buf[4096];
	char err[256];
	uint8_t nlri[FLOW_MAX_LEN + 2];
	struct flow_builder b;
	bool label = false;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	flow_builder_init(&b);
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		const char *arg = NULL;
		if (sp) {
			*sp = '\0';
			arg = sp + 1;
		}
		const struct flow_keyword *k = flow_keyword_find(line);
		if (k && arg) {
			if (k->type == FLOW_SOURCE || k->type == FLOW_DESTINATION)
				flow_add_prefix(&b, k->type, arg, err, sizeof(err));
			else if (flow_add_condition(&b, k, arg, err, sizeof(err)) == 0 && k->type == FLOW_FLOW_LABEL)
				label = true;
		} else if (!strcmp(line, "rd") && arg && strlen(arg) >= 8) {
			b.has_rd = true;
			memcpy(b.rd, arg, 8);
		} else if (flow_action_arity(line) >= 0) {
			struct flow_action a;
			flow_action_parse(line, arg, &a, err, sizeof(err));
		} else if (!strcmp(line, "interface-set") && arg) {
			uint8_t v[8];
			flow_interface_set(arg, v, err, sizeof(err));
		}
	}
	int n = flow_encode(&b, nlri, sizeof(nlri), err, sizeof(err));
	if (n > 0) {
		uint16_t afi = b.afi == AFI_IPV6 ? AFI_IPV6 : AFI_IPV4;
		uint8_t safi = b.has_rd ? SAFI_FLOW_VPN : SAFI_FLOW;
		struct wbuf text;
		wb_init(&text, 0);
		if (flow_nlri_size(nlri, (size_t)n) != n)
			abort();
		/* what we encode we must decode (a flow-label is IPv6-only on receipt) */
		if (flow_format(afi, safi, nlri, (size_t)n, NULL, &text, NULL, err, sizeof(err)) < 0 &&
		    !(label && afi == AFI_IPV4))
			abort();
		wb_free(&text);
	}
	flow_builder_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 0x80)
		build(data + 1, size - 1);
	else
		decode_field(data[0], data + 1, size - 1);
	return 0;
}
