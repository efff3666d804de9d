/* MPLS label stacks and labeled prefixes (RFC 8277, SAFI 4 "nlri-mpls";
 * also the label part of VPN NLRI, RFC 4364 / 4659).
 *
 *   +---------------------------+
 *   | Length (1 octet, in bits) |  labels + route distinguisher + prefix
 *   +---------------------------+
 *   | Label (3 octets) ...      |  20-bit value, 3 bits TC (0), S bit:
 *   +---------------------------+  set on the last label only
 *   | Route Distinguisher (8)   |  VPN only (vpn.h)
 *   +---------------------------+
 *   | Prefix (ceil(len/8))      |  bits past the prefix length are zero
 *   +---------------------------+
 *
 * The NLRI forms here are those struct route keeps: without the ADD-PATH
 * path identifier (the rib-out prepends it). */
#ifndef FASTBGP_NLRI_LABELED_H
#define FASTBGP_NLRI_LABELED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NLRI_MAX_LABELS 8
#define LABEL_MAX 0xFFFFFu
/* RFC 8277 2.4: what a withdrawal may carry instead of the labels. */
#define LABEL_WITHDRAW_RAW 0x800000u
/* Longest labeled/VPN NLRI: the length octet counts at most 255 bits. */
#define LABELED_NLRI_MAX (1 + 255 / 8 + 1)

/* Writes the n labels, 3 octets each, the bottom-of-stack bit on the last.
 * Returns the bytes written (3 * n). */
size_t label_stack_encode(uint8_t *out, const uint32_t *labels, int n);

/* Writes [len][labels][rd (8 octets, when rd is not NULL)][prefix] for
 * addr/plen.  Returns the bytes written, or 0 when the stack is too deep for
 * the one-octet bit length (more than 255 bits) or n > NLRI_MAX_LABELS.
 * out must have room for LABELED_NLRI_MAX bytes. */
size_t labeled_nlri_encode(uint8_t *out, const uint32_t *labels, int n, const uint8_t *rd, const uint8_t *addr,
			   uint8_t plen);

/* A decoded labeled or VPN prefix. */
struct labeled_prefix {
	uint8_t nlabels;
	uint32_t labels[NLRI_MAX_LABELS]; /* the 20-bit values */
	bool has_rd;
	uint8_t rd[8];
	uint8_t plen;
	uint8_t addr[16]; /* zero padded */
};

/* Decodes one NLRI of a labeled (has_rd false) or VPN (has_rd true) family
 * of address length alen (4 or 16) from p[0..len).  Labels are read until
 * the bottom-of-stack bit, as ExaBGP does, and also stop at a zero label or,
 * in a withdrawal, at the RFC 8277 compatibility value 0x800000.  Returns
 * the bytes used, or -1 when the NLRI is malformed (lengths that do not
 * fit, a prefix longer than the address, more than NLRI_MAX_LABELS). */
long labeled_nlri_decode(const uint8_t *p, size_t len, int alen, bool has_rd, bool withdraw,
			 struct labeled_prefix *out);

/* Appends " label N" or " label [ A B ]" (nothing for no label), as
 * ExaBGP writes a label stack in text. */
int label_stack_format(char *out, size_t outlen, const uint32_t *labels, int n);

#endif
