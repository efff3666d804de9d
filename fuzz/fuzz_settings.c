/* libFuzzer harness: the settings ini parser (ExaBGP's exabgp.env format)
 * and every setting's value parser.
 *
 * Input: the ini file's bytes.  Each entry that names a setting is given
 * to settings_set(); each value taken is formatted (settings_format, what
 * "fastbgp --fi" prints) and parsed again.  Oracle: the formatted value is
 * taken back and formats the same (one canonical text per value). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "config/settings_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct ini ini;
	memset(&ini, 0, sizeof(ini));
	ini.path = "fuzz.env";
	char err[512];
	int rc = ini_parse(&ini, f, err, sizeof(err));
	fclose(f);
	if (rc == 0) {
		struct settings s;
		settings_init(&s);
		for (size_t i = 0; i < ini.n; i++) {
			struct ini_entry *e = &ini.e[i];
			char *value = NULL;
			int line = 0;
			if (ini_get(&ini, e->section, e->key, 0, &value, &line, err, sizeof(err)) < 0 || !value)
				continue;
			const char *sec = e->section;
			if (!strncmp(sec, "exabgp.", 7))
				sec += 7;
			const struct setting_def *d = settings_find(sec, e->key);
			int taken = d && settings_set(&s, d, value, 0, err, sizeof(err)) == 0;
			free(value);
			if (!taken)
				continue;
			char once[1024], twice[1024];
			int n1 = settings_format(&s, d, once, sizeof(once));
			if (n1 < 0 || (size_t)n1 >= sizeof(once))
				continue;
			if (settings_set(&s, d, once, 0, err, sizeof(err)) < 0) {
				fprintf(stderr, "%s.%s: formatted value \"%s\" is refused: %s\n", sec, e->key, once, err);
				abort();
			}
			int n2 = settings_format(&s, d, twice, sizeof(twice));
			if (n1 != n2 || strcmp(once, twice)) {
				fprintf(stderr, "%s.%s: \"%s\" formats as \"%s\" then \"%s\"\n", sec, e->key, e->value, once,
					twice);
				abort();
			}
		}
		settings_free(&s);
	}
	ini_free(&ini);
	return 0;
}
