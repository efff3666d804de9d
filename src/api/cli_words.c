/* Command words of the CLI (see cli_words.h). */
#include "api/cli_words.h"

#include <string.h>

/* After `after` (NULL: first word) comes `word`; `abbrev`, when not NULL,
 * is its abbreviation there.  As with exabgpcli, a letter means different
 * words depending on what precedes it. */
struct cli_word {
	const char *after;
	const char *word;
	const char *abbrev;
};

static const struct cli_word words[] = {
	{NULL, "show", "s"},
	{NULL, "announce", "a"},
	{NULL, "withdraw", "w"},
	{NULL, "flush", "f"},
	{NULL, "clear", "c"},
	{NULL, "teardown", "t"},
	{NULL, "help", "h"},
	{NULL, "version", "v"},
	{NULL, "neighbor", "n"},
	{NULL, "reload", NULL},
	{NULL, "restart", NULL},
	{NULL, "shutdown", NULL},
	{NULL, "reset", NULL},
	{"show", "neighbor", "n"},
	{"show", "adj-rib", "a"},
	{"neighbor", "summary", "s"},
	{"neighbor", "extensive", "e"},
	{"neighbor", "configuration", "c"},
	{"adj-rib", "in", "i"},
	{"adj-rib", "out", "o"},
	{"in", "extensive", "e"},
	{"out", "extensive", "e"},
	{"flush", "adj-rib", "a"},
	{"clear", "adj-rib", "a"},
	{"announce", "route", "r"},
	{"announce", "eor", "e"},
	{"announce", "flow", "f"},
	{"announce", "attributes", "a"},
	{"announce", "watchdog", "w"},
	{"announce", "route-refresh", NULL},
	{"announce", "operational", NULL},
	{"announce", "vpls", NULL},
	{"withdraw", "route", "r"},
	{"withdraw", "flow", "f"},
	{"withdraw", "attributes", "a"},
	{"withdraw", "watchdog", "w"},
	{"withdraw", "vpls", NULL},
};

static int follows(const struct cli_word *w, const char *prev)
{
	return (!w->after && !prev) || (w->after && prev && !strcmp(w->after, prev));
}

static const char *expand(const char *prev, const char *word)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].abbrev && !strcmp(words[i].abbrev, word) && follows(&words[i], prev))
			return words[i].word;
	return word;
}

int cli_words_join(char *const *argv, int n, char *out, size_t len)
{
	size_t used = 0;
	const char *prev = NULL;
	if (!len)
		return -1;
	out[0] = '\0';
	for (int k = 0; k < n; k++) {
		const char *w = k < 4 ? expand(prev, argv[k]) : argv[k];
		size_t wl = strlen(w);
		if (used + wl + 2 > len)
			return -1;
		if (used)
			out[used++] = ' ';
		memcpy(out + used, w, wl);
		used += wl;
		out[used] = '\0';
		prev = w;
	}
	return (int)used;
}

void cli_words_after(const char *prev, void (*fn)(void *ctx, const char *word), void *ctx)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (follows(&words[i], prev))
			fn(ctx, words[i].word);
}
