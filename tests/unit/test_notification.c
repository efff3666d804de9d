/* NOTIFICATION: encoding, decoding, RFC 8203/9003 shutdown communication
 * and ExaBGP's text for received notifications. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "attr/attr_table.h"
#include "wire/header.h"
#include "wire/notification.h"

/* Decodes a whole message written in w and returns the text. */
static const char *decode_text(struct wbuf *w, struct notification *n)
{
	static char buf[1024];
	uint16_t len;
	uint8_t type, sub, data[2];
	size_t dlen;
	assert_int_equal(bgp_header_check(w->data, 4096, &len, &type, &sub, data, &dlen), 0);
	assert_int_equal(type, BGP_MSG_NOTIFICATION);
	assert_int_equal(len, w->len);
	assert_int_equal(notification_decode(w->data + 19, len - 19u, n), 0);
	notification_str(buf, sizeof(buf), n);
	return buf;
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(notification_code_name(6), "Cease");
	assert_string_equal(notification_subcode_name(6, 3), "Peer De-configured");
	assert_string_equal(notification_subcode_name(3, 11), "Malformed AS_PATH");
	assert_string_equal(notification_subcode_name(2, 7), "Unsupported Capability");
	assert_string_equal(notification_subcode_name(5, 3), "Receive Unexpected Message in Established State");
	assert_string_equal(notification_subcode_name(7, 1), "Invalid Message Length");
	assert_string_equal(notification_subcode_name(4, 0), "Unspecific");
	/* ExaBGP's table, its spelling included. */
	assert_string_equal(notification_code_name(7), "unknown error");
	assert_string_equal(notification_code_name(0), "unknown error");
	assert_string_equal(notification_subcode_name(6, 9), "unknow reason");
	assert_string_equal(notification_subcode_name(4, 1), "unknow reason");
	assert_string_equal(notification_subcode_name(9, 0), "unknow reason");
}

static void test_plain(void **state)
{
	(void)state;
	struct wbuf w;
	struct notification n;
	wb_init(&w, 0);
	notification_encode(&w, 6, 3, NULL, 0);
	assert_int_equal(w.len, 21);
	assert_string_equal(decode_text(&w, &n), "Cease / Peer De-configured");
	assert_int_equal(n.data_len, 0);
	assert_false(n.has_shutdown);

	/* The sample of EXABGP-COMPAT: 6/3 with data 0x0102. */
	wb_reset(&w);
	notification_encode(&w, 6, 3, "\x01\x02", 2);
	assert_string_equal(decode_text(&w, &n), "Cease / Peer De-configured / ");
	assert_int_equal(n.data_len, 2);
	assert_memory_equal(n.data, "\x01\x02", 2);

	/* Printable data is shown, invalid UTF-8 and controls are not. */
	wb_reset(&w);
	notification_encode(&w, 2, 2, "bad \xff" "as\n", 8);
	assert_string_equal(decode_text(&w, &n), "OPEN message error / Bad Peer AS / bad as");
	wb_reset(&w);
	notification_encode(&w, 1, 2, "\x00\x11", 2);
	assert_string_equal(decode_text(&w, &n), "Message header error / Bad Message Length / ");
	wb_reset(&w);
	notification_encode(&w, 3, 1, NULL, 0);
	assert_string_equal(decode_text(&w, &n), "UPDATE message error / Malformed Attribute List");
	wb_free(&w);

	assert_int_equal(notification_decode((const uint8_t *)"\x06", 1, &n), -1);
}

static void test_shutdown(void **state)
{
	(void)state;
	struct wbuf w;
	struct notification n;
	wb_init(&w, 0);
	notification_shutdown(&w, BGP_CEASE_ADMIN_SHUTDOWN, "maintenance, back at 10:00");
	assert_int_equal(w.len, 19 + 2 + 1 + 26);
	assert_int_equal(w.data[21], 26);
	assert_string_equal(decode_text(&w, &n),
			    "Cease / Administrative Shutdown / Shutdown Communication: \"maintenance, back at 10:00\"");
	assert_true(n.has_shutdown);
	assert_string_equal(n.shutdown, "maintenance, back at 10:00");
	assert_int_equal(n.shutdown_len, 26);
	assert_int_equal(n.trailer_len, 0);

	/* UTF-8 and RFC 9003's 255 bytes, cut on a character boundary. */
	char longtext[400];
	size_t k = 0;
	while (k + 2 <= 300) { /* "é" is 2 bytes */
		longtext[k++] = (char)0xC3;
		longtext[k++] = (char)0xA9;
	}
	longtext[k] = '\0';
	wb_reset(&w);
	notification_shutdown(&w, BGP_CEASE_ADMIN_RESET, longtext);
	assert_int_equal(w.data[21], 254);
	decode_text(&w, &n);
	assert_true(n.has_shutdown);
	assert_int_equal(n.shutdown_len, 254);
	assert_true(utf8_valid((const uint8_t *)n.shutdown, n.shutdown_len));

	/* No text: a plain Cease; empty text: a zero length byte. */
	wb_reset(&w);
	notification_shutdown(&w, BGP_CEASE_ADMIN_SHUTDOWN, NULL);
	assert_int_equal(w.len, 21);
	assert_string_equal(decode_text(&w, &n), "Cease / Administrative Shutdown");
	wb_reset(&w);
	notification_shutdown(&w, BGP_CEASE_ADMIN_SHUTDOWN, "");
	assert_int_equal(w.len, 22);
	assert_string_equal(decode_text(&w, &n), "Cease / Administrative Shutdown / empty Shutdown Communication.");
	assert_false(n.has_shutdown);

	/* Control characters in a received text are blanked. */
	wb_reset(&w);
	notification_encode(&w, 6, 2, "\x05" "a\r\nb\x1b", 6);
	assert_string_equal(decode_text(&w, &n),
			    "Cease / Administrative Shutdown / Shutdown Communication: \"a  b \"");

	/* Trailing data, underrun, invalid UTF-8 (ExaBGP's wording). */
	wb_reset(&w);
	notification_encode(&w, 6, 2, "\x02hi\xab\xcd", 5);
	assert_string_equal(decode_text(&w, &n),
			    "Cease / Administrative Shutdown / Shutdown Communication: \"hi\", trailing data: 0xABCD");
	assert_int_equal(n.trailer_len, 2);
	wb_reset(&w);
	notification_encode(&w, 6, 4, "\x09hi", 3);
	assert_string_equal(decode_text(&w, &n), "Cease / Administrative Reset / invalid Shutdown Communication "
						  "(buffer underrun) length : 9 [0x6869]");
	assert_false(n.has_shutdown);
	wb_reset(&w);
	notification_encode(&w, 6, 2, "\x02\xc3\x28", 3);
	assert_string_equal(decode_text(&w, &n), "Cease / Administrative Shutdown / invalid Shutdown Communication "
						  "(invalid UTF-8) length : 2 [0xC328]");
	assert_false(n.has_shutdown);
	/* Not parsed as a communication for other subcodes. */
	wb_reset(&w);
	notification_encode(&w, 6, 3, "\x02hi", 3);
	decode_text(&w, &n);
	assert_false(n.has_shutdown);
	wb_free(&w);

	/* The text is plain: JSON-escape it for JSON output. */
	struct wbuf j;
	wb_init(&j, 0);
	sb_json_string(&j, "Shutdown Communication: \"x\"", 27);
	assert_string_equal(sb_cstr(&j), "\"Shutdown Communication: \\\"x\\\"\"");
	wb_free(&j);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid((const uint8_t *)"", 0));
	assert_true(utf8_valid((const uint8_t *)"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", 15));
	assert_false(utf8_valid((const uint8_t *)"\xc0\xaf", 2));         /* overlong */
	assert_false(utf8_valid((const uint8_t *)"\xe0\x80\xaf", 3));     /* overlong */
	assert_false(utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));     /* surrogate */
	assert_false(utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(utf8_valid((const uint8_t *)"\xe2\x82", 2));         /* truncated */
	assert_false(utf8_valid((const uint8_t *)"\x80", 1));
}

static void test_small_buffer(void **state)
{
	(void)state;
	struct notification n;
	char buf[8];
	assert_int_equal(notification_decode((const uint8_t *)"\x06\x03", 2, &n), 0);
	assert_int_equal(notification_str(buf, sizeof(buf), &n), strlen("Cease / Peer De-configured"));
	assert_string_equal(buf, "Cease /");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),    cmocka_unit_test(test_plain), cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_utf8),     cmocka_unit_test(test_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
