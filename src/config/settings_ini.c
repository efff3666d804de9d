/* ini file reading for the settings (see settings_ini.h). */
#include "config/settings_ini.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define seterr err_set

void ini_free(struct ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		free(ini->e[i].key);
		free(ini->e[i].value);
	}
	for (size_t i = 0; i < ini->nsec; i++)
		free(ini->sections[i]);
	free(ini->e);
	free(ini->sections);
	memset(ini, 0, sizeof(*ini));
}

int ini_has_section(const struct ini *ini, const char *section)
{
	for (size_t i = 0; i < ini->nsec; i++)
		if (!strcmp(ini->sections[i], section))
			return 1;
	return 0;
}

struct ini_entry *ini_lookup(struct ini *ini, const char *section, const char *key)
{
	for (size_t i = 0; i < ini->n; i++)
		if (!strcmp(ini->e[i].section, section) && !strcmp(ini->e[i].key, key))
			return &ini->e[i];
	return NULL;
}

static char *trim(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	char *e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return p;
}

/* Python's configparser (strict, no inline comments): "[section]" headers,
 * "key = value" or "key: value", keys case-insensitive, '#' / ';' comment
 * lines, indented lines continue the previous value. */
int ini_parse(struct ini *ini, FILE *f, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int lineno = 0;
	const char *cursec = NULL;
	struct ini_entry *last = NULL;
	size_t last_indent = 0;
	int rc = 0;

	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		char *p = line;
		if (lineno == 1 && !strncmp(p, "\xef\xbb\xbf", 3))
			p += 3;
		size_t indent = strspn(p, " \t");
		char *t = trim(p);
		if (!*t || *t == '#' || *t == ';')
			continue;
		if (last && indent > last_indent) {
			size_t a = strlen(last->value), b = strlen(t);
			char *nv = realloc(last->value, a + b + 2);
			if (!nv)
				goto nomem;
			nv[a] = '\n';
			memcpy(nv + a + 1, t, b + 1);
			last->value = nv;
			continue;
		}
		last = NULL;
		if (*t == '[') {
			char *close = strrchr(t, ']');
			if (!close || close == t + 1) {
				seterr(err, errlen, "%s:%d: bad section header '%s'", ini->path, lineno, t);
				rc = -1;
				break;
			}
			*close = '\0';
			if (ini_has_section(ini, t + 1)) {
				seterr(err, errlen, "%s:%d: section [%s] appears twice", ini->path, lineno, t + 1);
				rc = -1;
				break;
			}
			if (ini->nsec == ini->capsec) {
				ini->capsec = ini->capsec ? ini->capsec * 2 : 8;
				char **ns = realloc(ini->sections, ini->capsec * sizeof(*ns));
				if (!ns)
					goto nomem;
				ini->sections = ns;
			}
			if (!(ini->sections[ini->nsec] = strdup(t + 1)))
				goto nomem;
			cursec = ini->sections[ini->nsec++];
			continue;
		}
		if (!cursec) {
			seterr(err, errlen, "%s:%d: '%s' is before any [section] header", ini->path, lineno, t);
			rc = -1;
			break;
		}
		size_t klen = strcspn(t, "=:");
		if (!t[klen]) {
			seterr(err, errlen, "%s:%d: expected 'key = value', got '%s'", ini->path, lineno, t);
			rc = -1;
			break;
		}
		char *value = trim(t + klen + 1);
		t[klen] = '\0';
		char *key = trim(t);
		if (!*key) {
			seterr(err, errlen, "%s:%d: missing key before '='", ini->path, lineno);
			rc = -1;
			break;
		}
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		if (ini_lookup(ini, cursec, key)) {
			seterr(err, errlen, "%s:%d: '%s' appears twice in [%s]", ini->path, lineno, key, cursec);
			rc = -1;
			break;
		}
		if (ini->n == ini->cap) {
			ini->cap = ini->cap ? ini->cap * 2 : 16;
			struct ini_entry *ne = realloc(ini->e, ini->cap * sizeof(*ne));
			if (!ne)
				goto nomem;
			ini->e = ne;
		}
		struct ini_entry *e = &ini->e[ini->n];
		e->section = (char *)cursec;
		e->line = lineno;
		e->key = strdup(key);
		e->value = strdup(value);
		if (!e->key || !e->value) {
			free(e->key);
			free(e->value);
			goto nomem;
		}
		ini->n++;
		last = e;
		last_indent = indent;
	}
	free(line);
	return rc;
nomem:
	free(line);
	seterr(err, errlen, "%s: out of memory", ini->path);
	return -1;
}

/* ConfigParser.get(): the key in its section, else in [DEFAULT]; then
 * Python's basic interpolation: %% is %, %(name)s is another key's value. */
int ini_get(struct ini *ini, const char *section, const char *key, int depth, char **out, int *line,
		   char *err, size_t errlen)
{
	*out = NULL;
	if (!ini_has_section(ini, section))
		return 0;
	struct ini_entry *e = ini_lookup(ini, section, key);
	if (!e)
		e = ini_lookup(ini, "DEFAULT", key);
	if (!e)
		return 0;
	if (line && !*line)
		*line = e->line;
	if (depth > 10) {
		seterr(err, errlen, "%s:%d: %%(...)s references nest too deep", ini->path, e->line);
		return -1;
	}
	size_t cap = strlen(e->value) + 1, n = 0;
	char *r = malloc(cap);
	if (!r)
		return -1;
	for (const char *p = e->value; *p;) {
		const char *add = p;
		size_t alen = 1;
		char *sub = NULL;
		if (*p == '%') {
			if (p[1] == '%') {
				alen = 1;
				p += 2;
			} else if (p[1] == '(' && strstr(p, ")s")) {
				const char *close = strstr(p, ")s");
				char name[64];
				size_t nl = (size_t)(close - p - 2);
				if (nl >= sizeof(name))
					nl = sizeof(name) - 1;
				memcpy(name, p + 2, nl);
				name[nl] = '\0';
				for (char *k = name; *k; k++)
					*k = (char)tolower((unsigned char)*k);
				int l2 = 1;
				if (ini_get(ini, section, name, depth + 1, &sub, &l2, err, errlen) < 0) {
					free(r);
					return -1;
				}
				if (!sub) {
					seterr(err, errlen, "%s:%d: %%(%s)s names no key of [%s]", ini->path, e->line, name,
					       section);
					free(r);
					return -1;
				}
				add = sub;
				alen = strlen(sub);
				p = close + 2;
			} else {
				seterr(err, errlen, "%s:%d: '%%' must be written '%%%%'", ini->path, e->line);
				free(r);
				return -1;
			}
		} else {
			p++;
		}
		if (n + alen + 1 > cap) {
			cap = (n + alen + 1) * 2;
			char *nr = realloc(r, cap);
			if (!nr) {
				free(sub);
				free(r);
				return -1;
			}
			r = nr;
		}
		memcpy(r + n, add, alen);
		n += alen;
		free(sub);
	}
	r[n] = '\0';
	*out = r;
	return 0;
}

