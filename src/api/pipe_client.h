/* `fastbgp cli`, `fastbgp --run cli` and `exabgpcli` (argv[0]): ExaBGP
 * 4.2's command line client of the named pipes (pipe_cli.h).
 *
 *   fastbgp cli [--root ROOT|-f ROOT] [--env ENV|-e ENV] [--help|-h] COMMAND...
 *
 * Finds NAME.in / NAME.out (api.pipename of the env file, the environment)
 * where the daemon looks for them, sends COMMAND (abbreviations expanded,
 * with a "command: ..." line when they were), prints the reply up to its
 * "done" or "error" line.  As exabgpcli, it exits 0 once a reply came
 * (an error reply says so on stderr) and 1 when fastbgp could not be
 * reached or did not answer within 5 s. */
#ifndef FASTBGP_API_PIPE_CLIENT_H
#define FASTBGP_API_PIPE_CLIENT_H

/* argv[0] is the first argument after "cli" (or after the program for
 * exabgpcli); root/env are --root/--env given before "cli" (may be NULL);
 * argv0 is the program, to find the installation root. */
int pipe_client_main(int argc, char **argv, const char *argv0, const char *root, const char *env);

#endif
