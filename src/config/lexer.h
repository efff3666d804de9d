/* Tokeniser for the ExaBGP configuration language and for API command lines.
 *
 * The lexer works in place on a mutable, NUL-terminated buffer that the
 * caller owns (a file read into memory, or a copy of one command line): every
 * word is NUL-terminated where it ends and quoted strings are unescaped in
 * place, so a token is a plain C string pointing into the buffer and lexing
 * never allocates.  Tokens stay valid as long as the buffer does.
 *
 * Tokens:
 *   ; { } [ ] ( ) ,     one token each (outside quotes)
 *   "..." or '...'      a string; backslash escapes \n \t \r \b \f \\ \" \'
 *   anything else       a word, up to whitespace or one of the above
 *   #                   starts a comment up to the end of the line
 *   \ at end of line    joins the next line to this one (the logical line)
 * Positions are 1-based; the column counts bytes (a tab is one column). */
#ifndef FASTBGP_CONFIG_LEXER_H
#define FASTBGP_CONFIG_LEXER_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

enum tok_type {
	TOK_EOF = 0,
	TOK_WORD,
	TOK_STRING,
	TOK_SEMI,     /* ; */
	TOK_LBRACE,   /* { */
	TOK_RBRACE,   /* } */
	TOK_LBRACKET, /* [ */
	TOK_RBRACKET, /* ] */
	TOK_LPAREN,   /* ( */
	TOK_RPAREN,   /* ) */
	TOK_COMMA,    /* , */
	TOK_ERROR,    /* lexer->err holds the message, at the token's position */
};

enum tok_flag {
	TOKF_BOL = 0x01,   /* first token of a logical line */
	TOKF_GLUED = 0x02, /* no whitespace between this token and the previous one */
};

struct token {
	const char *s; /* NUL-terminated text; for punctuation the character itself */
	uint32_t len;
	int line, col;
	uint8_t type;  /* enum tok_type */
	uint8_t flags; /* enum tok_flag */
};

struct lexer {
	char *p;       /* next character to read */
	char *end;     /* the terminating NUL of the buffer */
	int line, col; /* position of *p */
	int bol;       /* the next token starts a logical line */
	int glued;     /* no whitespace seen since the previous token */
	char saved;    /* the character a NUL terminator overwrote at p (0 = none) */
	char err[128];
	/* Streaming from a file (lexer_init_file); all zero for a buffer. */
	FILE *src;
	size_t chunk;       /* bytes read at a time */
	char *window;       /* the text being lexed (owned) */
	char *previous;     /* the window before it, kept for one more window */
	size_t window_cap, previous_cap;
	char *carry;        /* read past the last cut: the start of the next window */
	size_t ncarry;
	int src_done;       /* the file is read to its end */
	int failed;         /* a read error or a NUL byte: lexer_next returns TOK_ERROR */
	int window_used;    /* a token was taken from the current window */
	int empty_on_purpose; /* a comment line "# empty on purpose" was seen (parser.h) */
};

/* buf must be writable and buf[len] must be '\0'. */
void lexer_init(struct lexer *lx, char *buf, size_t len);

/* Lexes a file without holding it whole (a configuration of a million routes
 * is over 100 MB of text).  The file is read `chunk` bytes at a time and cut
 * after the end of a logical line; since a statement never spans logical
 * lines, the tokens of a statement always share one window.  The window
 * before the current one stays readable, so the statement just finished can
 * still be named in an error; older text is freed: a parser must copy what
 * it keeps past the next statement (it already does: tokens are re-read per
 * statement).  A NUL byte or a read error ends the input with TOK_ERROR. */
void lexer_init_file(struct lexer *lx, FILE *f, size_t chunk);
/* Frees the windows of a file lexer; nothing for a buffer lexer. */
void lexer_free(struct lexer *lx);
/* Fills t and returns its type.  After TOK_EOF every call returns TOK_EOF. */
int lexer_next(struct lexer *lx, struct token *t);

/* A growable array of tokens (one statement, or one command line). */
struct tokvec {
	struct token *v;
	int n, cap;
};
int tokvec_grow(struct tokvec *tv); /* doubles the room; -1 on allocation failure */
/* -1 on allocation failure.  Inline: called for every token of a file. */
static inline int tokvec_push(struct tokvec *tv, const struct token *t)
{
	if (tv->n == tv->cap && tokvec_grow(tv) < 0)
		return -1;
	tv->v[tv->n++] = *t;
	return 0;
}
void tokvec_free(struct tokvec *tv);

/* A printable name for a token, for error messages: "';'", "end of file",
 * or the word itself. */
const char *token_describe(const struct token *t);

#endif
