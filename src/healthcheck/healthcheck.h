/* fastbgp healthcheck: ExaBGP 4.2's healthcheck helper, in C.
 * Reached as "fastbgp healthcheck ARGS", "fastbgp --run healthcheck ARGS"
 * and "exabgp healthcheck ARGS" (see docs/healthcheck.md). */
#ifndef FASTBGP_HEALTHCHECK_H
#define FASTBGP_HEALTHCHECK_H

/* argv holds the arguments after the word "healthcheck". Returns the exit
 * code: 0, 1 (runtime failure), 2 (bad options). */
int healthcheck_main(int argc, char **argv);

#endif
