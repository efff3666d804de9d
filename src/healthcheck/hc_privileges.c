/* The healthcheck's --user and --group: the identity changes once the
 * loopback addresses are set up, as in ExaBGP.  Two things differ on purpose
 * (docs/healthcheck.md): --user alone also takes the user's primary group and
 * root's supplementary groups are dropped, and on Linux CAP_NET_ADMIN may be
 * kept (and nothing else) so that --dynamic-ip-setup still works without
 * sudo; ExaBGP's helper loses it and its later "ip address" calls fail. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include "healthcheck/hc_int.h"

#ifdef __linux__
/* capset(2) without libcap: CAP_NET_ADMIN permitted and effective, no other
 * capability, none inheritable (the check commands it runs get none). */
static int keep_only_net_admin(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted = CAP_TO_MASK(CAP_NET_ADMIN);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective = CAP_TO_MASK(CAP_NET_ADMIN);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -1;
	return prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
}
#endif

int hc_drop_privileges(const struct hc_opts *o, bool keep_net_admin)
{
	if (!o->user && !o->group)
		return 0;
	gid_t gid = 0;
	uid_t uid = 0;
	bool set_gid = false;
	if (o->group) {
		struct group *gr = getgrnam(o->group);
		if (!gr) {
			hc_log(HC_ERROR, "no group '%s'", o->group);
			return -1;
		}
		gid = gr->gr_gid;
		set_gid = true;
	}
	if (o->user) {
		struct passwd *pw = getpwnam(o->user);
		if (!pw) {
			hc_log(HC_ERROR, "no user '%s'", o->user);
			return -1;
		}
		uid = pw->pw_uid;
		if (!set_gid) {
			gid = pw->pw_gid;
			set_gid = true;
		}
	}
	bool keep = false;
#ifdef __linux__
	keep = keep_net_admin && o->user && geteuid() == 0 && uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0;
#else
	(void)keep_net_admin;
#endif
	hc_log(HC_DEBUG, "dropping privileges to user %s group %ld%s", o->user ? o->user : "(unchanged)", (long)gid,
	       keep ? ", keeping CAP_NET_ADMIN" : "");
	if (geteuid() == 0 && setgroups(1, &gid) < 0) {
		hc_log(HC_ERROR, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (set_gid && setresgid(gid, gid, gid) < 0) {
		hc_log(HC_ERROR, "cannot set group %ld: %s", (long)gid, strerror(errno));
		return -1;
	}
	if (o->user && setresuid(uid, uid, uid) < 0) {
		hc_log(HC_ERROR, "cannot set user %s: %s", o->user, strerror(errno));
		return -1;
	}
#ifdef __linux__
	if (keep && keep_only_net_admin() < 0) {
		hc_log(HC_WARNING, "cannot keep CAP_NET_ADMIN (%s): loopback changes will fail", strerror(errno));
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
#endif
	return 0;
}
