/* Formatting helpers for the API encoders (see fmt.h). */
#include "api/fmt.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr_table.h"
#include "nlri/family.h"
#include "core/peer_state.h"

void fmt_pyfloat(double v, char *out, size_t outlen)
{
	char e[40];
	int prec;
	if (v != v) {
		snprintf(out, outlen, "nan");
		return;
	}
	if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
		snprintf(out, outlen, v > 0 ? "inf" : "-inf");
		return;
	}
	/* The shortest "%.Ne" that reads back to v.  More digits of a correctly
	 * rounded value never read back further from v, so the precisions that
	 * read back form a range [shortest, 16]: a binary search finds its start
	 * in 5 tries instead of up to 17 (this runs for every API event). */
	int lo = 0, hi = 16;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		snprintf(e, sizeof(e), "%.*e", mid, v);
		if (strtod(e, NULL) == v)
			hi = mid;
		else
			lo = mid + 1;
	}
	prec = lo;
	snprintf(e, sizeof(e), "%.*e", prec, v);
	/* e = [-]d[.ddd]e[+-]XX: split into digits and exponent */
	char digits[24];
	size_t nd = 0;
	const char *p = e;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < sizeof(digits) - 1)
			digits[nd++] = *p;
	int exp10 = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';

	char buf[64];
	size_t o = 0;
	if (neg)
		buf[o++] = '-';
	if (exp10 >= -4 && exp10 < 16) {
		int decpt = exp10 + 1; /* digits before the point */
		if (decpt <= 0) {
			buf[o++] = '0';
			buf[o++] = '.';
			for (int i = 0; i < -decpt; i++)
				buf[o++] = '0';
			memcpy(buf + o, digits, nd);
			o += nd;
		} else if ((size_t)decpt >= nd) {
			memcpy(buf + o, digits, nd);
			o += nd;
			for (size_t i = nd; i < (size_t)decpt; i++)
				buf[o++] = '0';
			buf[o++] = '.';
			buf[o++] = '0';
		} else {
			memcpy(buf + o, digits, (size_t)decpt);
			o += (size_t)decpt;
			buf[o++] = '.';
			memcpy(buf + o, digits + decpt, nd - (size_t)decpt);
			o += nd - (size_t)decpt;
		}
		buf[o] = '\0';
	} else {
		buf[o++] = digits[0];
		if (nd > 1) {
			buf[o++] = '.';
			memcpy(buf + o, digits + 1, nd - 1);
			o += nd - 1;
		}
		snprintf(buf + o, sizeof(buf) - o, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
	}
	snprintf(out, outlen, "%s", buf);
}

void fmt_hexstring(struct wbuf *w, const uint8_t *p, size_t n)
{
	sb_puts(w, "0x");
	sb_hex(w, p, n, 1);
}

void fmt_json_str(struct wbuf *w, const char *s, size_t n)
{
	sb_json_string(w, s, n); /* one JSON string writer for the whole daemon */
}

void fmt_json_cstr(struct wbuf *w, const char *s)
{
	fmt_json_str(w, s, strlen(s));
}

const char *fmt_afi(uint16_t afi, char buf[32])
{
	switch (afi) {
	case AFI_IPV4:
		return "ipv4";
	case AFI_IPV6:
		return "ipv6";
	case AFI_L2VPN:
		return "l2vpn";
	case AFI_BGPLS:
		return "bgp-ls";
	default:
		snprintf(buf, 32, "unknown-afi-0x0x%x", afi);
		return buf;
	}
}

const char *fmt_safi(uint8_t safi, char buf[32])
{
	const char *name = safi_name(safi);
	if (name)
		return name;
	snprintf(buf, 32, "unknown safi %u", safi);
	return buf;
}

int fmt_afi_value(const char *s)
{
	return afi_by_name(s);
}

int fmt_safi_value(const char *s)
{
	return safi_by_name(s);
}

const char *fmt_fsm_name(int st)
{
	return peer_state_text(st, "INVALID");
}

const char *fmt_signal_name(int signum)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
		{SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"},   {SIGILL, "SIGILL"},
		{SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},     {SIGBUS, "SIGBUS"},     {SIGFPE, "SIGFPE"},
		{SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"},   {SIGUSR2, "SIGUSR2"},
		{SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"},   {SIGCHLD, "SIGCHLD"},
		{SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},     {SIGTSTP, "SIGTSTP"},   {SIGTTIN, "SIGTTIN"},
		{SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"},   {SIGXFSZ, "SIGXFSZ"},
		{SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"},
		{SIGSYS, "SIGSYS"},
#ifdef SIGSTKFLT
		{SIGSTKFLT, "SIGSTKFLT"},
#endif
#ifdef SIGPWR
		{SIGPWR, "SIGPWR"},
#endif
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == signum)
			return names[i].name;
	return "UNKNOWN";
}

void fmt_ipv4(char out[16], const uint8_t *a)
{
	snprintf(out, 16, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void fmt_ipv4_host(char out[16], uint32_t v)
{
	snprintf(out, 16, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
}

const char *fmt_capability_name(uint8_t code, char buf[40])
{
	switch (code) {
	case 0:
		return "reserved";
	case 1:
		return "multiprotocol";
	case 2:
		return "route-refresh";
	case 3:
		return "outbound-route-filtering";
	case 4:
		return "multiple-routes";
	case 5:
		return "nexthop";
	case 6:
		return "extended-message";
	case 64:
		return "graceful-restart";
	case 65:
		return "asn4";
	case 67:
		return "dynamic-capability";
	case 68:
		return "multi-session";
	case 69:
		return "add-path";
	case 70:
		return "enhanced-route-refresh";
	case 128:
		return "cisco-route-refresh";
	case 131:
		return "cisco-multi-sesion"; /* sic */
	case 184:
		return "exabgp-experimental-hostname";
	case 185:
		return "exabgp-experimental-operational";
	default:
		snprintf(buf, 40, "unknown capability 0x%x", code);
		return buf;
	}
}
