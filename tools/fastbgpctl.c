/* fastbgpctl: sends commands to a running fastbgp over its control socket
 * (setting exabgp.api.socket) and prints the answers.
 *
 *   fastbgpctl [-s SOCKET] [-e ENV] [-f ROOT] COMMAND...
 *   fastbgpctl -s /run/fastbgp.sock show neighbor summary
 *   fastbgpctl s n s                 (ExaBGP's abbreviations)
 *   fastbgpctl                       (on a terminal: interactive, with
 *                                     history and completion)
 *
 * The socket is -s, else exabgp.api.socket as fastbgp itself reads it: the
 * environment (exabgp_api_socket, exabgp.api.socket), then the env file
 * (--env, else ROOT/etc/exabgp/exabgp.env, else /etc/exabgp/exabgp.env).
 * Exit status: 0 when fastbgp answered "done", 1 on "error", 2 when it
 * could not be reached. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <editline/readline.h>

#include "api/cli_words.h"
#include "config/settings.h"
#include "config/cli.h"

#define LINE_MAX_CTL 65536
#define HISTORY_LINES 1000

static void usage(FILE *out)
{
	fprintf(out, "usage: fastbgpctl [-s SOCKET] [-e ENV] [-f ROOT] [COMMAND...]\n"
		     "  sends COMMAND to fastbgp's control socket (exabgp.api.socket) and prints the answer;\n"
		     "  without COMMAND on a terminal, reads commands interactively (history, TAB completion)\n"
		     "  -s SOCKET  the socket (default: exabgp.api.socket from the environment or the env file)\n"
		     "  -e ENV     the env file (--env), as fastbgp reads it\n"
		     "  -f ROOT    the installation root (--root), where etc/exabgp/exabgp.env is looked for\n"
		     "  e.g. fastbgpctl -s /run/fastbgp.sock show neighbor summary   (or: s n s)\n");
}

/* Sends one command line, prints the answer.  0 done, 1 error, 2 unreachable. */
static int run_command(const char *path, const char *command)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fastbgpctl: socket path too long: %s\n", path);
		return 2;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "fastbgpctl: cannot reach fastbgp at %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	size_t len = strlen(command);
	for (size_t off = 0; off <= len;) {
		/* the command, then its newline */
		const char *p = off < len ? command + off : "\n";
		size_t n = off < len ? len - off : 1;
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			fprintf(stderr, "fastbgpctl: write: %s\n", strerror(errno));
			close(fd);
			return 2;
		}
		off += (size_t)w;
	}
	/* Print the answer as it comes; remember its last line ("done"/"error"). */
	char buf[4096], cur[16] = "", last[16] = "";
	size_t curlen = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		for (ssize_t k = 0; k < n; k++) {
			if (buf[k] == '\n') {
				/* a line too long for cur is neither "done" nor "error" */
				snprintf(last, sizeof(last), "%s", curlen < sizeof(cur) ? cur : "");
				curlen = 0;
				cur[0] = '\0';
			} else {
				if (curlen + 1 < sizeof(cur)) {
					cur[curlen] = buf[k];
					cur[curlen + 1] = '\0';
				}
				curlen++;
			}
		}
	}
	fflush(stdout);
	close(fd);
	if (!strcmp(last, "done"))
		return 0;
	if (!strcmp(last, "error"))
		return 1;
	fprintf(stderr, "fastbgpctl: no answer from fastbgp\n");
	return 2;
}

/* ---- interactive mode (libedit) ---------------------------------------------- */

struct matches {
	const char *prefix;
	size_t plen;
	const char *found[64];
	size_t n;
};

static void collect(void *ctx, const char *word)
{
	struct matches *m = ctx;
	if (m->n < sizeof(m->found) / sizeof(m->found[0]) && !strncmp(word, m->prefix, m->plen))
		m->found[m->n++] = word;
}

static struct matches completing;

static char *next_match(const char *text, int state)
{
	(void)text;
	static size_t i;
	if (!state)
		i = 0;
	return i < completing.n ? strdup(completing.found[i++]) : NULL;
}

/* TAB: the command words that may stand here, after the words before it
 * (abbreviations expanded, so `s n <TAB>` offers summary, extensive...). */
static char **complete(const char *text, int start, int end)
{
	(void)end;
	char before[1024], joined[1024];
	snprintf(before, sizeof(before), "%.*s", start, rl_line_buffer);
	char *words[64];
	int n = 0;
	for (char *save = NULL, *w = strtok_r(before, " \t", &save); w && n < 64; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	const char *prev = NULL;
	if (n > 0 && cli_words_join(words, n, joined, sizeof(joined)) >= 0) {
		char *space = strrchr(joined, ' ');
		prev = space ? space + 1 : joined;
	}
	completing.prefix = text;
	completing.plen = strlen(text);
	completing.n = 0;
	cli_words_after(prev, collect, &completing);
	rl_attempted_completion_over = 1; /* no file names */
	return completing.n ? rl_completion_matches(text, next_match) : NULL;
}

static int interactive(const char *path)
{
	char history[4096] = "";
	const char *home = getenv("HOME");
	if (home && *home)
		snprintf(history, sizeof(history), "%s/.fastbgpctl_history", home);
	rl_readline_name = "fastbgpctl";
	rl_attempted_completion_function = complete;
	using_history();
	stifle_history(HISTORY_LINES);
	if (*history)
		read_history(history);
	printf("fastbgp %s at %s: commands as for a helper (help lists them), TAB completes, ^D leaves\n",
	       FASTBGP_VERSION, path);
	int rc = 0;
	char *line;
	while ((line = readline("fastbgp> ")) != NULL) {
		char *words[256];
		int n = 0;
		char copy[LINE_MAX_CTL], command[LINE_MAX_CTL];
		snprintf(copy, sizeof(copy), "%s", line);
		for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w && n < 256; w = strtok_r(NULL, " \t", &save))
			words[n++] = w;
		if (n == 1 && (!strcmp(words[0], "exit") || !strcmp(words[0], "quit"))) {
			free(line);
			break;
		}
		if (n > 0) {
			add_history(line);
			if (cli_words_join(words, n, command, sizeof(command)) < 0)
				fprintf(stderr, "fastbgpctl: command too long\n");
			else
				rc = run_command(path, command);
		}
		free(line);
	}
	if (*history)
		write_history(history);
	return rc == 2 ? 2 : 0;
}

/* ---- main ---------------------------------------------------------------------- */

/* exabgp.api.socket as fastbgp reads it (environment, env file); malloc'ed. */
static char *socket_from_settings(const char *argv0, const char *root_opt, const char *env)
{
	char root[4096], err[1024];
	cli_root_folder(argv0, root_opt, root, sizeof(root));
	struct settings s;
	struct settings_paths paths = {.env_file = env, .root = root, .etc_file = NULL};
	char *path = NULL;
	if (settings_load(&s, &paths, err, sizeof(err)) < 0)
		fprintf(stderr, "fastbgpctl: %s\n", err);
	else if (s.api_socket && *s.api_socket)
		path = strdup(s.api_socket);
	settings_free(&s);
	return path;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *env = NULL, *root = NULL;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			path = argv[++i];
		} else if ((!strcmp(argv[i], "-e") || !strcmp(argv[i], "--env")) && i + 1 < argc) {
			env = argv[++i];
		} else if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--root")) && i + 1 < argc) {
			root = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			break;
		}
	}
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (i >= argc && !tty) {
		usage(stderr);
		return 2;
	}
	char *found = path ? NULL : socket_from_settings(argv[0], root, env);
	if (!path)
		path = found;
	if (!path) {
		fprintf(stderr, "fastbgpctl: no control socket: give -s PATH, or set exabgp.api.socket in the env file "
				"or the environment (the daemon listens there when it is set)\n");
		return 2;
	}
	int rc;
	if (i >= argc) {
		rc = interactive(path);
	} else {
		char line[LINE_MAX_CTL];
		if (cli_words_join(argv + i, argc - i, line, sizeof(line)) < 0) {
			fprintf(stderr, "fastbgpctl: command too long\n");
			rc = 2;
		} else {
			rc = run_command(path, line);
		}
	}
	free(found);
	return rc;
}
