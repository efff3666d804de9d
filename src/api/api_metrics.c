/* What the process API counts per helper, read by the metrics endpoint
 * (src/metrics): a copy, so the caller needs no knowledge of api_int.h. */
#include "api/api_int.h"
#include "api/process.h"

int api_helper_stats(const struct api *a, int slot, struct api_helper_stats *out)
{
	if (!a || slot < 0 || slot >= a->nprocs || !a->procs[slot] || !a->procs[slot]->configured)
		return -1;
	const struct api_proc *p = a->procs[slot];
	out->name = p->name;
	out->running = p->h && api_helper_running(p->h);
	out->queued = p->h ? api_helper_queued(p->h) : 0;
	unsigned starts = p->h ? api_helper_starts(p->h) : 0;
	out->restarts = starts > 1 ? starts - 1 : 0;
	out->commands = p->commands;
	out->command_errors = p->command_errors;
	out->dropped = p->dropped;
	return 0;
}

int api_helper_slots(const struct api *a)
{
	return a ? a->nprocs : 0;
}
