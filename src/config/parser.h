/* Loading a configuration file into the model (model.h).
 *
 * The grammar is ExaBGP 4.2's (see docs/configuration.md).  Every error is
 * reported as "file:line:col: message", the column being the one of the
 * offending token (1-based, in bytes). */
#ifndef FASTBGP_CONFIG_PARSER_H
#define FASTBGP_CONFIG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/model.h"

/* Parses the file at path into c, which must have been set up with
 * config_init() and be empty.  Returns 0, or -1 with err set; on failure c is
 * left empty (as after config_init) and must still be released with
 * config_free().  A file with no neighbor, process or template (empty, only
 * blanks or comments: a file caught mid-write) is refused, as at start so
 * on reload, unless a comment line of its own says "# empty on purpose"
 * (docs/configuration.md). */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* config_load reads the file this many bytes at a time (see lexer.h): the
 * text of a large configuration is never held whole. */
#define CONFIG_READ_CHUNK ((size_t)1 << 20)
/* config_load with another window size; tests use tiny ones to cross many
 * window boundaries. */
int config_load_chunked(struct config *c, const char *path, size_t chunk, char *err, size_t errlen);

/* The same for text held in memory; name is used in error messages and as
 * the neighbors' file, and relative "run" programs are looked up from the
 * current directory. */
int config_load_string(struct config *c, const char *name, const char *text, char *err, size_t errlen);

/* Prints a deterministic, normalized description of the configuration:
 * processes, then neighbors with every option (defaults included), their
 * families and capabilities, and each route as its family, prefix, next-hop
 * and attribute bytes in hex (flags, code, length, value), as on the wire. */
void config_dump(FILE *out, const struct config *c);

/* On reload: true when no option whose change needs a new session differs
 * (the neighbor option table, neighbor_options.c, says which). */
bool neighbor_conf_same_session(const struct neighbor_conf *a, const struct neighbor_conf *b);

#endif
