/* The words of CLI commands, shared by fastbgpctl and `fastbgp cli`:
 * ExaBGP's one-letter abbreviations (exabgpcli: `s n s` is `show neighbor
 * summary`) and the words offered by interactive completion. */
#ifndef FASTBGP_API_CLI_WORDS_H
#define FASTBGP_API_CLI_WORDS_H

#include <stddef.h>

/* Joins words with single spaces into out; the first four words are
 * expanded when they are an abbreviation where they stand (route text
 * after them is literal).  Returns the length, or -1 when it does not fit. */
int cli_words_join(char *const *words, int n, char *out, size_t len);

/* Calls fn for each command word that may follow prev (NULL: the first
 * word of a command). */
void cli_words_after(const char *prev, void (*fn)(void *ctx, const char *word), void *ctx);

#endif
