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
};

/* buf must be writable and buf[len] must be '\0'. */
void lexer_init(struct lexer *lx, char *buf, size_t len);
/* Fills t and returns its type.  After TOK_EOF every call returns TOK_EOF. */
int lexer_next(struct lexer *lx, struct token *t);

/* A growable array of tokens (one statement, or one command line). */
struct tokvec {
	struct token *v;
	int n, cap;
};
int tokvec_push(struct tokvec *tv, const struct token *t); /* -1 on allocation failure */
void tokvec_free(struct tokvec *tv);

/* A printable name for a token, for error messages: "';'", "end of file",
 * or the word itself. */
const char *token_describe(const struct token *t);

#endif
