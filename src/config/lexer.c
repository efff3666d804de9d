/* Configuration tokeniser (see lexer.h). */
#include "config/lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lexer_init(struct lexer *lx, char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = buf;
	lx->end = buf + len;
	lx->line = 1;
	lx->col = 1;
	lx->bol = 1;
}

static char empty_text[1];

void lexer_init_file(struct lexer *lx, FILE *f, size_t chunk)
{
	lexer_init(lx, empty_text, 0);
	lx->src = f;
	lx->chunk = chunk ? chunk : 1;
}

void lexer_free(struct lexer *lx)
{
	free(lx->window);
	free(lx->previous);
	free(lx->carry);
	lx->window = lx->previous = lx->carry = NULL;
	lx->ncarry = 0;
	lx->p = lx->end = empty_text;
}

/* The length of text[0..len) up to and including its last newline that ends
 * a logical line (not continued by a backslash and blanks); 0 if none.  A
 * backslash at the end of a comment is not a continuation for the lexer, so
 * treating it as one here only makes a window longer, never wrong. */
static size_t logical_line_cut(const char *text, size_t len)
{
	for (size_t i = len; i > 0; i--) {
		if (text[i - 1] != '\n')
			continue;
		size_t j = i - 1;
		while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t' || text[j - 1] == '\r'))
			j--;
		if (j == 0 || text[j - 1] != '\\')
			return i;
	}
	return 0;
}

static int read_failed(struct lexer *lx, char *buf, const char *why)
{
	free(buf);
	snprintf(lx->err, sizeof(lx->err), "%s", why);
	lx->failed = 1;
	lx->src_done = 1;
	return 0;
}

/* Loads the next window of a file lexer.  Returns 1 when there is more text,
 * 0 at the end of the file or on an error (lx->failed). */
static int refill(struct lexer *lx)
{
	if (!lx->src || lx->src_done)
		return 0;
	size_t len = lx->ncarry, cap = lx->ncarry + lx->chunk, cut;
	/* The window before the previous one is no longer readable: its memory
	 * takes the new text (fresh 1 MB blocks would cost page faults). */
	char *buf = lx->previous;
	size_t bcap = lx->previous_cap;
	/* A window of only blanks and comments holds no token: it goes, and
	 * the one before it (with the statement that may still be named in an
	 * error, "missing ';' after ...") stays readable. */
	int keep_previous = !lx->window_used && lx->window;
	if (keep_previous) {
		buf = lx->window;
		bcap = lx->window_cap;
		lx->window = NULL;
		lx->p = lx->end = empty_text; /* it was read to its end */
		lx->saved = 0;
	} else {
		lx->previous = NULL;
	}
	if (!buf || bcap < cap) {
		free(buf);
		buf = malloc(cap + 1);
		bcap = cap;
	}
	if (!buf)
		return read_failed(lx, NULL, "out of memory reading the configuration");
	if (lx->ncarry)
		memcpy(buf, lx->carry, lx->ncarry);
	for (;;) {
		size_t want = cap - len;
		size_t got = fread(buf + len, 1, want, lx->src);
		const char *nul = memchr(buf + len, '\0', got);
		if (nul) {
			/* The error is reported where the NUL is: the lexer stands
			 * at buf[0] (the end of the previous window). */
			for (const char *q = buf; q < nul; q++) {
				if (*q == '\n') {
					lx->line++;
					lx->col = 1;
				} else {
					lx->col++;
				}
			}
			return read_failed(lx, buf, "the configuration is not a text file (it holds NUL bytes)");
		}
		len += got;
		if (got < want) {
			if (ferror(lx->src))
				return read_failed(lx, buf, "can not read the configuration");
			lx->src_done = 1;
			cut = len;
			break;
		}
		cut = logical_line_cut(buf, len);
		if (cut)
			break;
		/* One logical line longer than a window: read more of it. */
		cap *= 2;
		if (cap > bcap) {
			char *bigger = realloc(buf, cap + 1);
			if (!bigger)
				return read_failed(lx, buf, "out of memory reading the configuration");
			buf = bigger;
			bcap = cap;
		}
	}
	/* What follows the cut starts the next window. */
	lx->ncarry = len - cut;
	if (lx->ncarry) {
		char *c = realloc(lx->carry, lx->ncarry);
		if (!c)
			return read_failed(lx, buf, "out of memory reading the configuration");
		lx->carry = c;
		memcpy(c, buf + cut, lx->ncarry);
	}
	buf[cut] = '\0';
	if (!keep_previous) {
		lx->previous = lx->window;
		lx->previous_cap = lx->window_cap;
	}
	lx->window_used = 0;
	lx->window = buf;
	lx->window_cap = bcap;
	lx->p = buf;
	lx->end = buf + cut;
	lx->saved = 0;
	return cut > 0 || !lx->src_done;
}

/* The character at lx->p, seeing through a NUL we wrote there. */
static inline char cur(const struct lexer *lx)
{
	return lx->saved ? lx->saved : *lx->p;
}

static inline void advance(struct lexer *lx)
{
	char c = cur(lx);
	lx->saved = 0;
	if (lx->p >= lx->end)
		return;
	lx->p++;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
}

/* One table lookup per character instead of a chain of comparisons: the
 * lexer reads every byte of a configuration (130 MB for a million routes). */
enum { CC_SPACE = 1, CC_DELIM = 2 };
static const unsigned char char_class[256] = {
	[' '] = CC_SPACE | CC_DELIM, ['\t'] = CC_SPACE | CC_DELIM, ['\r'] = CC_SPACE | CC_DELIM,
	['\n'] = CC_SPACE | CC_DELIM, ['\f'] = CC_SPACE | CC_DELIM, ['\v'] = CC_SPACE | CC_DELIM,
	[';'] = CC_DELIM, ['{'] = CC_DELIM, ['}'] = CC_DELIM, ['['] = CC_DELIM, [']'] = CC_DELIM,
	['('] = CC_DELIM, [')'] = CC_DELIM, [','] = CC_DELIM, ['#'] = CC_DELIM, ['"'] = CC_DELIM,
	['\''] = CC_DELIM, ['\0'] = CC_DELIM,
};

static inline int is_space(char c)
{
	return char_class[(unsigned char)c] & CC_SPACE;
}

static inline int is_delim(char c)
{
	return char_class[(unsigned char)c] & CC_DELIM;
}

/* A backslash followed by blanks up to the end of the line: joins lines. */
static int continuation(const struct lexer *lx)
{
	const char *q = lx->p + 1;
	while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	return q >= lx->end || *q == '\n';
}

/* "# empty on purpose" (blanks around the words free): the comment that
 * lets a configuration with no statement be taken (parser.h). */
static int is_empty_marker(const char *p, const char *end)
{
	static const char *const words[] = {"empty", "on", "purpose"};
	p++; /* '#' */
	for (size_t i = 0; i < 3; i++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) < n || memcmp(p, words[i], n))
			return 0;
		p += n;
		if (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end;
}

/* Skips blanks, comments and line continuations. */
static void skip_blank(struct lexer *lx)
{
	for (;;) {
		if (lx->p >= lx->end && !refill(lx))
			return;
		char c = cur(lx);
		if (lx->p >= lx->end)
			continue; /* an empty window: read on */
		if (c == '\n') {
			lx->bol = 1;
			lx->glued = 0;
			advance(lx);
		} else if (is_space(c)) {
			lx->glued = 0;
			advance(lx);
		} else if (c == '#') {
			const char *start = lx->p;
			while (lx->p < lx->end && cur(lx) != '\n')
				advance(lx);
			if (lx->bol && is_empty_marker(start, lx->p))
				lx->empty_on_purpose = 1;
		} else if (c == '\\' && continuation(lx)) {
			lx->glued = 0;
			advance(lx);
			while (lx->p < lx->end && cur(lx) != '\n')
				advance(lx);
			if (lx->p < lx->end)
				advance(lx); /* the newline, which does not end the logical line */
		} else {
			return;
		}
	}
}

static const char *const punct_text[] = {
	[TOK_SEMI] = ";", [TOK_LBRACE] = "{", [TOK_RBRACE] = "}", [TOK_LBRACKET] = "[",
	[TOK_RBRACKET] = "]", [TOK_LPAREN] = "(", [TOK_RPAREN] = ")", [TOK_COMMA] = ",",
};

static int punct_type(char c)
{
	switch (c) {
	case ';': return TOK_SEMI;
	case '{': return TOK_LBRACE;
	case '}': return TOK_RBRACE;
	case '[': return TOK_LBRACKET;
	case ']': return TOK_RBRACKET;
	case '(': return TOK_LPAREN;
	case ')': return TOK_RPAREN;
	case ',': return TOK_COMMA;
	default: return 0;
	}
}

static int lex_string(struct lexer *lx, struct token *t)
{
	char quote = cur(lx);
	advance(lx);
	char *w = lx->p; /* unescaped text is written here, never ahead of the reader */
	t->s = w;
	for (;;) {
		char c = cur(lx);
		if (lx->p >= lx->end || c == '\n') {
			snprintf(lx->err, sizeof(lx->err), "unterminated string");
			t->s = "";
			t->len = 0;
			t->type = TOK_ERROR;
			return TOK_ERROR;
		}
		if (c == quote) {
			advance(lx);
			*w = '\0';
			break;
		}
		if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n') {
			advance(lx);
			c = cur(lx);
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			default: break; /* \\ \" \' and any other character stand for themselves */
			}
		}
		advance(lx);
		*w++ = c;
	}
	t->len = (uint32_t)(w - t->s);
	t->type = TOK_STRING;
	return TOK_STRING;
}

int lexer_next(struct lexer *lx, struct token *t)
{
	skip_blank(lx);
	t->line = lx->line;
	t->col = lx->col;
	t->flags = (uint8_t)((lx->bol ? TOKF_BOL : 0) | (lx->glued ? TOKF_GLUED : 0));
	lx->bol = 0;
	lx->glued = 1;
	if (lx->failed) {
		t->s = "";
		t->len = 0;
		t->type = TOK_ERROR;
		return TOK_ERROR;
	}
	if (lx->p >= lx->end) {
		t->s = "";
		t->len = 0;
		t->type = TOK_EOF;
		return TOK_EOF;
	}
	lx->window_used = 1;
	char c = cur(lx);
	int pt = punct_type(c);
	if (pt) {
		advance(lx);
		t->s = punct_text[pt];
		t->len = 1;
		t->type = (uint8_t)pt;
		return pt;
	}
	if (c == '"' || c == '\'')
		return lex_string(lx, t);
	/* A word.  The first character is not a delimiter, so a NUL written at
	 * an earlier word's end cannot be here (saved is only set at a delimiter). */
	char *start = lx->p, *q = lx->p;
	while (q < lx->end) {
		char d = *q;
		if (is_delim(d))
			break;
		if (d == '\\') {
			lx->p = q;
			if (continuation(lx))
				break;
		}
		q++;
	}
	lx->col += (int)(q - start);
	lx->p = q;
	t->s = start;
	t->len = (uint32_t)(lx->p - start);
	if (lx->p < lx->end) {
		lx->saved = *lx->p;
		*lx->p = '\0';
	}
	t->type = TOK_WORD;
	return TOK_WORD;
}

const char *token_describe(const struct token *t)
{
	switch (t->type) {
	case TOK_EOF: return "end of file";
	case TOK_SEMI: return "';'";
	case TOK_LBRACE: return "'{'";
	case TOK_RBRACE: return "'}'";
	case TOK_LBRACKET: return "'['";
	case TOK_RBRACKET: return "']'";
	case TOK_LPAREN: return "'('";
	case TOK_RPAREN: return "')'";
	case TOK_COMMA: return "','";
	default: return t->s;
	}
}

int tokvec_grow(struct tokvec *tv)
{
	int cap = tv->cap ? tv->cap * 2 : 32;
	struct token *v = realloc(tv->v, (size_t)cap * sizeof(*v));
	if (!v)
		return -1;
	tv->v = v;
	tv->cap = cap;
	return 0;
}

void tokvec_free(struct tokvec *tv)
{
	free(tv->v);
	tv->v = NULL;
	tv->n = tv->cap = 0;
}
