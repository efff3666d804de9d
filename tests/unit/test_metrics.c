/* exabgp.metrics.listen parsing (metrics/metrics.h): the forms accepted,
 * and every malformed value refused with the setting's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "metrics/metrics.h"

static void test_listen_forms(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	char err[256];
	assert_int_equal(metrics_parse_listen("127.0.0.1:9179", &ss, sizeof(ss), err, sizeof(err)), 0);
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&ss;
	assert_int_equal(v4->sin_family, AF_INET);
	assert_int_equal(ntohs(v4->sin_port), 9179);
	assert_int_equal(ntohl(v4->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(metrics_parse_listen("[::1]:65535", &ss, sizeof(ss), err, sizeof(err)), 0);
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&ss;
	assert_int_equal(v6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(v6->sin6_port), 65535);
	assert_true(IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr));
}

static void test_listen_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"127.0.0.1",  "127.0.0.1:",   "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x", ":9179",
		"[::1]9179",  "[::1:9179",    "::1:9179",    "localhost:9179",  "1.2.3.4.5:1",  "[]:1",
		"127.0.0.1:-1", "[127.0.0.1]:80x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sockaddr_storage ss;
		char err[256] = "";
		if (metrics_parse_listen(bad[i], &ss, sizeof(ss), err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "exabgp.metrics.listen"));
		assert_non_null(strstr(err, bad[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_forms),
		cmocka_unit_test(test_listen_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
