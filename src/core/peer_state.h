/* The session states of RFC 4271 8.2.2, shared by the FSM (src/peer/) and
 * the process API (src/api/), which prints them: defined once, below both. */
#ifndef FASTBGP_CORE_PEER_STATE_H
#define FASTBGP_CORE_PEER_STATE_H

enum peer_state {
	PEER_IDLE,
	PEER_CONNECT,
	PEER_ACTIVE,
	PEER_OPENSENT,
	PEER_OPENCONFIRM,
	PEER_ESTABLISHED,
};

/* "IDLE" ... "ESTABLISHED" as ExaBGP 4.2 prints them; invalid for a number
 * outside the enum (the log says "?", the API "INVALID"). */
const char *peer_state_text(int state, const char *invalid);

#endif
