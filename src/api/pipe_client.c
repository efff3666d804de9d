/* Client of the named-pipe CLI (see pipe_client.h). */
#include "api/pipe_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/cli_words.h"
#include "api/pipe_cli.h"
#include "config/settings.h"
#include "config/cli.h"

#define WAIT_MS 5000 /* silence after which exabgpcli gives up */

static void usage(FILE *out)
{
	fputs("usage: fastbgp cli [--root ROOT] [--env ENV] [--help] COMMAND...\n"
	      "  sends COMMAND to a running fastbgp (or ExaBGP) through its named pipes\n"
	      "  NAME.in / NAME.out (NAME: exabgp.api.pipename, default exabgp) and prints the reply\n"
	      "\n"
	      "  --env ENV,   -e ENV   environment configuration file\n"
	      "  --help,      -h       this text\n"
	      "  --root ROOT, -f ROOT  root folder where etc, bin, sbin are located\n"
	      "\n"
	      "  e.g. fastbgp cli show neighbor summary    (or: fastbgp cli s n s)\n"
	      "       fastbgp cli help                     the commands the daemon knows\n",
	      out);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads and forgets what an earlier command left in NAME.out (fastbgp
 * leaves nothing; ExaBGP may), for at most 1.5 s as exabgpcli does. */
static void drain(int fd)
{
	char buf[4096];
	long until = now_ms() + 1500;
	while (now_ms() < until) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return;
	}
}

/* 1: the reply ended, 0: keep reading. */
static int reply_line(const char *line)
{
	if (!strcmp(line, "done"))
		return 1;
	if (!strcmp(line, "shutdown")) {
		fputs("fastbgp is shutting down, command aborted\n", stderr);
		return 1;
	}
	if (!strcmp(line, "error")) {
		fputs("fastbgp returned an error (the line before says why, the log has more)\n"
		      "use help for a list of available commands\n",
		      stderr);
		return 1;
	}
	printf("%s\n", line);
	fflush(stdout);
	return 0;
}

static int read_reply(int fd)
{
	char line[65536];
	size_t len = 0;
	long last = now_ms();
	for (;;) {
		long left = last + WAIT_MS - now_ms();
		if (left <= 0) {
			fputs("\nwarning: no end of command message received\n", stderr);
			return 0;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return 1;
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EINTR))) {
			/* no writer at this moment (between replies): wait a little */
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "could not read the answer: %s\n", strerror(errno));
			return 1;
		}
		last = now_ms();
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			len = 0;
			if (reply_line(line))
				return 0;
		}
	}
}

int pipe_client_main(int argc, char **argv, const char *argv0, const char *root_opt, const char *env)
{
	int i = 0;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "--root") || !strcmp(a, "-f")) && i + 1 < argc) {
			root_opt = argv[++i];
		} else if (!strncmp(a, "--root=", 7)) {
			root_opt = a + 7;
		} else if ((!strcmp(a, "--env") || !strcmp(a, "-e")) && i + 1 < argc) {
			env = argv[++i];
		} else if (!strncmp(a, "--env=", 6)) {
			env = a + 6;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stdout); /* exabgpcli prints its usage and exits 0 */
		return 0;
	}

	char root[4096], err[1024];
	cli_root_folder(argv0, root_opt, root, sizeof(root));
	struct settings s;
	struct settings_paths paths = {.env_file = env, .root = root, .etc_file = NULL};
	if (settings_load(&s, &paths, err, sizeof(err)) < 0) {
		fprintf(stderr, "configuration issue, %s\n", err);
		settings_free(&s);
		return 1;
	}
	char name[256];
	snprintf(name, sizeof(name), "%s", s.api_pipename ? s.api_pipename : "exabgp");
	settings_free(&s);

	char folder[4096], scanned[PIPE_CLI_FOLDERS][4096];
	if (pipe_cli_find(root, name, folder, sizeof(folder), scanned) < 0) {
		printf("could not find the named pipes (%s.in and %s.out) for the cli\n"
		       "we scanned the following folders (the number is your UID):\n",
		       name, name);
		for (int k = 0; k < PIPE_CLI_FOLDERS; k++)
			printf(" - %s\n", scanned[k]);
		return 1;
	}
	char command[65536];
	if (cli_words_join(argv + i, argc - i, command, sizeof(command)) < 0) {
		fputs("command too long\n", stderr);
		return 1;
	}
	/* exabgpcli says so when it expanded an abbreviation */
	char typed[65536];
	typed[0] = '\0';
	for (int k = i, used = 0; k < argc && used < (int)sizeof(typed); k++)
		used += snprintf(typed + used, sizeof(typed) - (size_t)used, "%s%s", k > i ? " " : "", argv[k]);
	if (strcmp(typed, command))
		printf("command: %s\n", command);

	char in[4096 + 256 + 8], out[4096 + 256 + 8];
	snprintf(in, sizeof(in), "%s%s.in", folder, name);
	snprintf(out, sizeof(out), "%s%s.out", folder, name);
	/* the reader first, so the reply has somewhere to go */
	int rfd = open(out, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd < 0) {
		printf("could not read the answer from %s: %s\n", out, strerror(errno));
		return 1;
	}
	drain(rfd);
	int wfd = open(in, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (wfd < 0) {
		if (errno == ENXIO)
			printf("fastbgp is not running / not using the named pipe %s\n", in);
		else
			printf("could not send the command to %s: %s\n", in, strerror(errno));
		close(rfd);
		return 1;
	}
	size_t clen = strlen(command);
	command[clen++] = '\n';
	int rc = 0;
	for (size_t off = 0; off < clen;) {
		ssize_t w = write(wfd, command + off, clen - off);
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = wfd, .events = POLLOUT};
			if (poll(&pfd, 1, WAIT_MS) <= 0) {
				fputs("could not send the command (timeout)\n", stderr);
				rc = 1;
				break;
			}
			continue;
		}
		if (w < 0) {
			printf("could not send the command: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		off += (size_t)w;
	}
	close(wfd);
	command[clen - 1] = '\0';
	if (!rc && strcmp(command, "reset")) /* reset has no reply */
		rc = read_reply(rfd);
	close(rfd);
	return rc;
}
