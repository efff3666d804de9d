/* Configuration model lifetime (see model.h). */
#include "config/model.h"

#include <stdlib.h>
#include <string.h>

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	attr_pool_init(&c->own_pool);
	c->pool = &c->own_pool;
}

void config_init_shared(struct config *c, struct attr_pool *pool)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	c->pool = pool;
}

void config_free(struct config *c)
{
	for (int i = 0; i < c->nneighbors; i++) {
		struct neighbor_conf *n = c->neighbors[i];
		for (size_t j = 0; j < n->routes.n; j++)
			attrset_unref(c->pool, n->routes.v[j]->attrs);
		route_list_free(&n->routes);
	}
	free(c->neighbors);
	free(c->processes);
	c->neighbors = NULL;
	c->processes = NULL;
	c->nneighbors = c->nprocesses = 0;
	if (c->pool == &c->own_pool)
		attr_pool_free(&c->own_pool);
	arena_free(&c->arena);
}
