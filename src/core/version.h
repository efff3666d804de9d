/* fastbgp's version, and the ExaBGP release whose behaviour it follows
 * (the one the `version` API command and --version name beside it). */
#ifndef FASTBGP_CORE_VERSION_H
#define FASTBGP_CORE_VERSION_H

#define FASTBGP_VERSION "0.1.0"
#define EXABGP_COMPAT_VERSION "4.2.25"

/* The `version` reply: ExaBGP's "exabgp X.Y.Z" first, so helpers that match
 * it keep working, then fastbgp's own version. */
#define VERSION_REPLY "exabgp " EXABGP_COMPAT_VERSION " (fastbgp " FASTBGP_VERSION ")"
/* fastbgp --version */
#define VERSION_LINE "fastbgp " FASTBGP_VERSION " (compatible with exabgp " EXABGP_COMPAT_VERSION ")"

#endif
