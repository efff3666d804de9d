/* fastbgpctl: sends one command to a running fastbgp over its control
 * socket (setting exabgp.api.socket) and prints the answer.
 *
 *   fastbgpctl [-s SOCKET] COMMAND...
 *   fastbgpctl -s /run/fastbgp.sock show neighbor summary
 *   fastbgpctl s n s                 (ExaBGP's abbreviations)
 *
 * The socket is -s, else $exabgp_api_socket / $exabgp.api.socket.
 * Exit status: 0 when fastbgp answered "done", 1 on "error", 2 when it
 * could not be reached. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* One abbreviation: after the words in `after` (NULL = first word), the
 * word `abbrev` means `full`.  Like exabgpcli, the meaning of a letter
 * depends on what precedes it. */
struct abbrev {
	const char *after;
	const char *abbrev;
	const char *full;
};

static const struct abbrev abbrevs[] = {
	{NULL, "s", "show"},           {NULL, "a", "announce"},       {NULL, "w", "withdraw"},
	{NULL, "f", "flush"},          {NULL, "c", "clear"},          {NULL, "t", "teardown"},
	{NULL, "h", "help"},           {NULL, "v", "version"},        {NULL, "n", "neighbor"},
	{"show", "n", "neighbor"},     {"show", "a", "adj-rib"},      {"neighbor", "s", "summary"},
	{"neighbor", "e", "extensive"}, {"neighbor", "c", "configuration"}, {"adj-rib", "i", "in"},
	{"adj-rib", "o", "out"},       {"in", "e", "extensive"},      {"out", "e", "extensive"},
	{"flush", "a", "adj-rib"},     {"clear", "a", "adj-rib"},     {"announce", "r", "route"},
	{"announce", "e", "eor"},      {"announce", "f", "flow"},     {"announce", "a", "attributes"},
	{"announce", "w", "watchdog"}, {"withdraw", "r", "route"},    {"withdraw", "f", "flow"},
	{"withdraw", "a", "attributes"}, {"withdraw", "w", "watchdog"},
};

static const char *expand(const char *prev, const char *word)
{
	for (size_t i = 0; i < sizeof(abbrevs) / sizeof(abbrevs[0]); i++) {
		const struct abbrev *a = &abbrevs[i];
		if (strcmp(a->abbrev, word))
			continue;
		if ((!a->after && !prev) || (a->after && prev && !strcmp(a->after, prev)))
			return a->full;
	}
	return word;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: fastbgpctl [-s SOCKET] COMMAND...\n"
		     "  sends COMMAND to fastbgp's control socket (exabgp.api.socket) and prints the answer\n"
		     "  e.g. fastbgpctl -s /run/fastbgp.sock show neighbor summary   (or: s n s)\n");
}

int main(int argc, char **argv)
{
	const char *path = getenv("exabgp_api_socket");
	if (!path)
		path = getenv("exabgp.api.socket");
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!path || !*path) {
		fprintf(stderr, "fastbgpctl: no control socket: give -s PATH or set exabgp_api_socket "
				"(the daemon listens there when exabgp.api.socket is set)\n");
		return 2;
	}
	char line[65536];
	size_t len = 0;
	const char *prev = NULL;
	for (int k = i; k < argc; k++) {
		/* Only the leading words are abbreviations; route text is literal. */
		const char *w = (k - i < 4) ? expand(prev, argv[k]) : argv[k];
		size_t n = strlen(w);
		if (len + n + 2 >= sizeof(line)) {
			fprintf(stderr, "fastbgpctl: command too long\n");
			return 2;
		}
		if (len)
			line[len++] = ' ';
		memcpy(line + len, w, n);
		len += n;
		prev = w;
	}
	line[len++] = '\n';

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
		return 2;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, line + off, len - off);
		if (w < 0) {
			fprintf(stderr, "fastbgpctl: write: %s\n", strerror(errno));
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
	close(fd);
	if (!strcmp(last, "done"))
		return 0;
	if (!strcmp(last, "error"))
		return 1;
	fprintf(stderr, "fastbgpctl: no answer from fastbgp\n");
	return 2;
}
