/* Loopback addresses for the healthcheck, over rtnetlink (libmnl).
 *
 * ExaBGP runs "/sbin/ip -o address show dev lo" and "ip address add|delete"
 * for this; fastbgp talks to the kernel directly (RTM_GETADDR dump,
 * RTM_NEWADDR, RTM_DELADDR, rtnetlink(7)), and keeps ExaBGP's selection
 * rules: labels are "lo:LABEL" (IPv4 only: the kernel has no labels for
 * IPv6 addresses), and an address already there when adding, or gone when
 * deleting, is not an error.  With --sudo the changes go through
 * "sudo ip address ..." as in ExaBGP, for a healthcheck that runs
 * unprivileged. */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#endif

#include "healthcheck/hc_int.h"

#define LOOPBACK "lo"

#ifdef __linux__

struct dump_ctx {
	unsigned ifindex;
	const char *label;
	bool label_only;
	struct hc_netlist *out;
	int error;
};

static int addr_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK; /* newer kernel attribute: ignore */
	tb[type] = attr;
	return MNL_CB_OK;
}

/* One RTM_NEWADDR of the dump: ExaBGP's loopback_ips() filter. */
static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) || ifa->ifa_index != c->ifindex)
		return MNL_CB_OK;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr, tb) < 0)
		return MNL_CB_ERROR;
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	size_t alen = ifa->ifa_family == AF_INET6 ? 16 : 4;
	if (!a || mnl_attr_get_payload_len(a) != alen || ifa->ifa_prefixlen > alen * 8)
		return MNL_CB_OK;
	struct hc_net n = {.family = ifa->ifa_family, .plen = ifa->ifa_prefixlen};
	memcpy(n.addr, mnl_attr_get_payload(a), alen);
	/* ip_network() is strict: an address with host bits set is skipped */
	for (unsigned bit = n.plen; bit < alen * 8; bit++)
		if (n.addr[bit / 8] & (0x80 >> (bit % 8)))
			return MNL_CB_OK;
	if (hc_net_is_loopback(&n))
		return MNL_CB_OK;
	if (c->label) {
		const char *lab = tb[IFA_LABEL] ? mnl_attr_get_str(tb[IFA_LABEL]) : NULL;
		size_t plen = strlen(LOOPBACK ":");
		if (!lab || mnl_attr_get_payload_len(tb[IFA_LABEL]) == 0 ||
		    memchr(lab, '\0', mnl_attr_get_payload_len(tb[IFA_LABEL])) == NULL)
			return MNL_CB_OK;
		if (strncmp(lab, LOOPBACK ":", plen) || strncmp(lab + plen, c->label, strlen(c->label)))
			return MNL_CB_OK;
	} else if (c->label_only) {
		return MNL_CB_OK;
	}
	if (hc_netlist_add(c->out, &n) < 0) {
		c->error = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static struct mnl_socket *open_rtnl(char *err, size_t errlen)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "netlink: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Sends one request and reads the replies until the end of the dump or the
 * kernel's acknowledgement; returns 0 or an errno. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return errno;
		int rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc < 0)
			return errno ? errno : EPROTO;
	}
}

int hc_loopback_list(const char *label, bool label_only, struct hc_netlist *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	unsigned ifindex = if_nametoindex(LOOPBACK);
	if (!ifindex) {
		snprintf(err, errlen, "no interface %s: %s", LOOPBACK, strerror(errno));
		return -1;
	}
	struct mnl_socket *nl = open_rtnl(err, errlen);
	if (!nl)
		return -1;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	struct dump_ctx c = {.ifindex = ifindex, .label = label, .label_only = label_only, .out = out};
	int rc = talk(nl, nlh, on_addr, &c);
	mnl_socket_close(nl);
	if (rc || c.error) {
		snprintf(err, errlen, "listing the addresses of %s: %s", LOOPBACK, strerror(c.error ? c.error : rc));
		hc_netlist_free(out);
		return -1;
	}
	return 0;
}

/* RTM_NEWADDR or RTM_DELADDR for one host address; returns 0 or an errno. */
static int change(struct mnl_socket *nl, unsigned ifindex, int type, const struct hc_net *h, const char *label)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	static uint32_t seq;
	nlh->nlmsg_seq = (uint32_t)time(NULL) + ++seq;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)h->family;
	ifa->ifa_prefixlen = h->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	size_t alen = h->family == AF_INET6 ? 16 : 4;
	mnl_attr_put(nlh, IFA_LOCAL, alen, h->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, h->addr);
	if (label && h->family == AF_INET) {
		char lab[IFNAMSIZ];
		snprintf(lab, sizeof(lab), "%s:%s", LOOPBACK, label);
		mnl_attr_put_strz(nlh, IFA_LABEL, lab);
	}
	return talk(nl, nlh, NULL, NULL);
}

/* "sudo ip address add|delete IP dev lo [label lo:LABEL]", as ExaBGP's --sudo. */
static int run_sudo_ip(const char *verb, const struct hc_net *h, const char *label)
{
	char ip[80], lab[64];
	hc_format_net(h, ip, sizeof(ip));
	snprintf(lab, sizeof(lab), "%s:%s", LOOPBACK, label ? label : "");
	const char *argv[] = {"sudo", "-n", "ip", "address", verb, ip, "dev", LOOPBACK, label ? "label" : NULL, lab,
			      NULL};
	pid_t pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		execvp("sudo", (char *const *)argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	/* ip exits 2 when the address is already there (or already gone) */
	return WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 2) ? 0 : EPERM;
}

static int apply_all(const struct hc_netlist *hosts, const char *label, bool sudo, int type)
{
	char err[256];
	const char *verb = type == RTM_NEWADDR ? "add" : "delete";
	unsigned ifindex = if_nametoindex(LOOPBACK);
	struct mnl_socket *nl = NULL;
	if (!sudo && (!ifindex || !(nl = open_rtnl(err, sizeof(err))))) {
		hc_log(HC_ERROR, "cannot %s loopback addresses: %s", verb, ifindex ? err : "no interface " LOOPBACK);
		return (int)hosts->n;
	}
	int failures = 0;
	for (size_t i = 0; i < hosts->n; i++) {
		char text[80];
		hc_format_net(&hosts->v[i], text, sizeof(text));
		hc_log(HC_DEBUG, "%s loopback IP address %s", type == RTM_NEWADDR ? "setup" : "remove", text);
		int rc = sudo ? run_sudo_ip(verb, &hosts->v[i], label) : change(nl, ifindex, type, &hosts->v[i], label);
		if (rc == EEXIST || (type == RTM_DELADDR && rc == EADDRNOTAVAIL))
			rc = 0;
		if (rc) {
			failures++;
			hc_log(HC_WARNING, "unable to %s loopback IP address %s: %s%s", verb, text, strerror(rc),
			       rc == EPERM ? " (is the healthcheck running as root, or with --sudo?)" : "");
		}
	}
	if (nl)
		mnl_socket_close(nl);
	return failures;
}

#else /* not Linux: no loopback management, as documented */

int hc_loopback_list(const char *label, bool label_only, struct hc_netlist *out, char *err, size_t errlen)
{
	(void)label;
	(void)label_only;
	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "reading loopback addresses needs Linux: give the addresses with --ip");
	return -1;
}

#define RTM_NEWADDR 1
#define RTM_DELADDR 2
static int apply_all(const struct hc_netlist *hosts, const char *label, bool sudo, int type)
{
	(void)label;
	(void)sudo;
	(void)type;
	hc_log(HC_WARNING, "loopback address setup needs Linux: use --no-ip-setup");
	return (int)hosts->n;
}

#endif

/* The host addresses to change: those not on lo yet (adding), or those on
 * lo with the label (removing). Returns the number of failures. */
static int change_hosts(const struct hc_netlist *hosts, const char *label, bool sudo, bool adding)
{
	char err[256];
	struct hc_netlist existing, todo = {0};
	if (hc_loopback_list(label, !adding, &existing, err, sizeof(err)) < 0) {
		hc_log(HC_ERROR, "%s", err);
		return (int)hosts->n;
	}
	int failures = 0;
	for (size_t i = 0; i < hosts->n; i++) {
		bool there = false;
		for (size_t k = 0; k < existing.n && !there; k++)
			there = hc_net_equal(&hosts->v[i], &existing.v[k]);
		if (there != adding && hc_netlist_add(&todo, &hosts->v[i]) < 0)
			failures++;
	}
	failures += apply_all(&todo, label, sudo, adding ? RTM_NEWADDR : RTM_DELADDR);
	hc_netlist_free(&existing);
	hc_netlist_free(&todo);
	return failures;
}

/* ExaBGP's setup_ips(): the host addresses not yet on lo (those with the
 * label, when one is given) are added. */
int hc_loopback_setup(const struct hc_netlist *hosts, const char *label, bool sudo)
{
	return change_hosts(hosts, label, sudo, true);
}

/* ExaBGP's remove_ips(): only the addresses that carry the label go (none
 * without --label), so an operator's own loopback addresses stay. */
int hc_loopback_remove(const struct hc_netlist *hosts, const char *label, bool sudo)
{
	return change_hosts(hosts, label, sudo, false);
}
