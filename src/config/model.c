/* Configuration model lifetime (see model.h). */
#include "config/model.h"

#include <stdlib.h>
#include <string.h>

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	attr_pool_init(&c->pool);
}

void config_free(struct config *c)
{
	for (int i = 0; i < c->nneighbors; i++) {
		struct neighbor_conf *n = c->neighbors[i];
		for (size_t j = 0; j < n->routes.n; j++)
			attrset_unref(&c->pool, n->routes.v[j]->attrs);
		route_list_free(&n->routes);
	}
	free(c->neighbors);
	free(c->processes);
	c->neighbors = NULL;
	c->processes = NULL;
	c->nneighbors = c->nprocesses = 0;
	attr_pool_free(&c->pool);
	arena_free(&c->arena);
}
