#include "core/peer_state.h"

static const char *const state_names[] = {"IDLE", "CONNECT", "ACTIVE", "OPENSENT", "OPENCONFIRM", "ESTABLISHED"};

const char *peer_state_text(int state, const char *invalid)
{
	return state >= PEER_IDLE && state <= PEER_ESTABLISHED ? state_names[state] : invalid;
}
