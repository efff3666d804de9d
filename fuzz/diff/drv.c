/* Prints fastbgp's JSON and text for the attribute lines of gen.py (same
 * format as exabgp_attrs.py) through update_parse() and the interned set. */
#include <stdio.h>
#include <string.h>

#include "update/update_parse.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

int main(void)
{
	static char line[300000];
	static uint8_t body[70000];
	static struct update_msg m;
	struct attr_pool pool;
	attr_pool_init(&pool);
	while (fgets(line, sizeof(line), stdin)) {
		char *h = line + 2;
		size_t n = strcspn(h, "\r\n") / 2;
		if (n + 6 > sizeof(body))
			continue;
		body[0] = body[1] = 0;
		body[2] = (uint8_t)(n >> 8);
		body[3] = (uint8_t)n;
		for (size_t i = 0; i < n; i++)
			body[4 + i] = (uint8_t)(hexval(h[2 * i]) << 4 | hexval(h[2 * i + 1]));
		body[4 + n] = 8; /* 10.0.0.0/8 */
		body[5 + n] = 10;
		struct update_parse_opts o = {0};
		o.asn4 = line[0] == '1';
		if (update_parse(body, n + 6, &o, &pool, &m) != UPDATE_OK) {
			printf("VERDICT %d %s\nVERDICT\n", m.verdict, m.reason ? m.reason : "");
			continue;
		}
		struct wbuf w;
		wb_init(&w, 0);
		attrset_json(&w, m.set);
		printf("JSON %s\n", sb_cstr(&w));
		wb_reset(&w);
		attrset_text(&w, m.set);
		printf("TEXT %s\n", sb_cstr(&w));
		wb_free(&w);
		update_msg_release(&m, &pool);
	}
	attr_pool_free(&pool);
	return 0;
}
