/* The ini file of the settings (ExaBGP's exabgp.env format): sections
 * [exabgp.SECTION] with `key = value` lines.  Private to settings.c. */
#ifndef FASTBGP_CONFIG_SETTINGS_INI_H
#define FASTBGP_CONFIG_SETTINGS_INI_H

#include <stddef.h>
#include <stdio.h>

struct ini_entry {
	char *section;
	char *key;
	char *value;
	int line;
};

struct ini {
	const char *path;
	struct ini_entry *e;
	size_t n, cap;
	char **sections;
	size_t nsec, capsec;
};

void ini_free(struct ini *ini);
int ini_has_section(const struct ini *ini, const char *section);
struct ini_entry *ini_lookup(struct ini *ini, const char *section, const char *key);
int ini_parse(struct ini *ini, FILE *f, char *err, size_t errlen);
int ini_get(struct ini *ini, const char *section, const char *key, int depth, char **out, int *line, char *err,
	    size_t errlen);

#endif
