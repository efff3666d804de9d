/* Configuration lexer: token kinds, positions, strings, comments and line
 * continuations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/lexer.h"

struct lexed {
	char buf[1024];
	struct token t[64];
	int n;
	char err[128];
};

/* Lexes text into l->t (up to and excluding TOK_EOF, or including TOK_ERROR). */
static void lex(struct lexed *l, const char *text)
{
	struct lexer lx;
	size_t len = strlen(text);
	assert_true(len < sizeof(l->buf));
	memcpy(l->buf, text, len + 1);
	lexer_init(&lx, l->buf, len);
	l->n = 0;
	for (;;) {
		assert_true(l->n < 64);
		int type = lexer_next(&lx, &l->t[l->n]);
		if (type == TOK_EOF)
			break;
		l->n++;
		if (type == TOK_ERROR) {
			snprintf(l->err, sizeof(l->err), "%s", lx.err);
			break;
		}
	}
}

static void check(const struct token *t, int type, const char *s, int line, int col)
{
	assert_int_equal(t->type, type);
	assert_string_equal(t->s, s);
	assert_int_equal(t->len, strlen(s));
	assert_int_equal(t->line, line);
	assert_int_equal(t->col, col);
}

static void test_punctuation(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "route 10.0.0.0/24 next-hop 1.2.3.4 as-path [1 (2,3)];{}");
	assert_int_equal(l.n, 16);
	check(&l.t[0], TOK_WORD, "route", 1, 1);
	check(&l.t[1], TOK_WORD, "10.0.0.0/24", 1, 7);
	check(&l.t[2], TOK_WORD, "next-hop", 1, 19);
	check(&l.t[3], TOK_WORD, "1.2.3.4", 1, 28);
	check(&l.t[4], TOK_WORD, "as-path", 1, 36);
	check(&l.t[5], TOK_LBRACKET, "[", 1, 44);
	check(&l.t[6], TOK_WORD, "1", 1, 45);
	check(&l.t[7], TOK_LPAREN, "(", 1, 47);
	check(&l.t[8], TOK_WORD, "2", 1, 48);
	check(&l.t[9], TOK_COMMA, ",", 1, 49);
	check(&l.t[10], TOK_WORD, "3", 1, 50);
	check(&l.t[11], TOK_RPAREN, ")", 1, 51);
	check(&l.t[12], TOK_RBRACKET, "]", 1, 52);
	check(&l.t[13], TOK_SEMI, ";", 1, 53);
	check(&l.t[14], TOK_LBRACE, "{", 1, 54);
	check(&l.t[15], TOK_RBRACE, "}", 1, 55);
}

static void test_braces_and_flags(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "neighbor 1.2.3.4 {\n\tlocal-as 1;\n}\n");
	assert_int_equal(l.n, 7);
	check(&l.t[0], TOK_WORD, "neighbor", 1, 1);
	assert_true(l.t[0].flags & TOKF_BOL);
	check(&l.t[2], TOK_LBRACE, "{", 1, 18);
	assert_false(l.t[2].flags & TOKF_BOL);
	check(&l.t[3], TOK_WORD, "local-as", 2, 2);
	assert_true(l.t[3].flags & TOKF_BOL);
	check(&l.t[4], TOK_WORD, "1", 2, 11);
	assert_false(l.t[4].flags & TOKF_GLUED);
	check(&l.t[5], TOK_SEMI, ";", 2, 12);
	assert_true(l.t[5].flags & TOKF_GLUED);
	check(&l.t[6], TOK_RBRACE, "}", 3, 1);
	assert_true(l.t[6].flags & TOKF_BOL);
}

static void test_comments(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "# a comment { ; }\nmed 10; # trailing\nabc#def\n");
	assert_int_equal(l.n, 4);
	check(&l.t[0], TOK_WORD, "med", 2, 1);
	check(&l.t[1], TOK_WORD, "10", 2, 5);
	check(&l.t[2], TOK_SEMI, ";", 2, 7);
	check(&l.t[3], TOK_WORD, "abc", 3, 1); /* '#' ends a word too */
}

static void test_strings(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "description \"a {quoted}; #text\" 'single \"q\"' \"esc\\\"aped\\n\" \"\";");
	assert_int_equal(l.n, 6);
	check(&l.t[0], TOK_WORD, "description", 1, 1);
	check(&l.t[1], TOK_STRING, "a {quoted}; #text", 1, 13);
	check(&l.t[2], TOK_STRING, "single \"q\"", 1, 33);
	check(&l.t[3], TOK_STRING, "esc\"aped\n", 1, 46);
	check(&l.t[4], TOK_STRING, "", 1, 60);
	check(&l.t[5], TOK_SEMI, ";", 1, 62);
}

static void test_unterminated_string(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "md5-password \"abc\nnext;");
	assert_int_equal(l.n, 2);
	assert_int_equal(l.t[1].type, TOK_ERROR);
	assert_int_equal(l.t[1].line, 1);
	assert_int_equal(l.t[1].col, 14);
	assert_string_equal(l.err, "unterminated string");
}

static void test_continuation(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "vpls \\\n\trd 1:1 \\  \n\tendpoint 5;\nx;");
	assert_int_equal(l.n, 8);
	check(&l.t[0], TOK_WORD, "vpls", 1, 1);
	check(&l.t[1], TOK_WORD, "rd", 2, 2);
	assert_false(l.t[1].flags & TOKF_BOL); /* same logical line */
	check(&l.t[2], TOK_WORD, "1:1", 2, 5);
	check(&l.t[3], TOK_WORD, "endpoint", 3, 2);
	assert_false(l.t[3].flags & TOKF_BOL);
	check(&l.t[4], TOK_WORD, "5", 3, 11);
	check(&l.t[6], TOK_WORD, "x", 4, 1);
	assert_true(l.t[6].flags & TOKF_BOL);
	/* a backslash inside a word is kept */
	lex(&l, "a\\b c");
	assert_int_equal(l.n, 2);
	check(&l.t[0], TOK_WORD, "a\\b", 1, 1);
}

static void test_describe(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "word ; }");
	assert_string_equal(token_describe(&l.t[0]), "word");
	assert_string_equal(token_describe(&l.t[1]), "';'");
	assert_string_equal(token_describe(&l.t[2]), "'}'");
	struct token eof = {.type = TOK_EOF, .s = ""};
	assert_string_equal(token_describe(&eof), "end of file");
}

static void test_empty_and_eof(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "");
	assert_int_equal(l.n, 0);
	lex(&l, "   \n\n  # only a comment");
	assert_int_equal(l.n, 0);
	lex(&l, "last");
	assert_int_equal(l.n, 1);
	check(&l.t[0], TOK_WORD, "last", 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_punctuation),   cmocka_unit_test(test_braces_and_flags),
		cmocka_unit_test(test_comments),      cmocka_unit_test(test_strings),
		cmocka_unit_test(test_unterminated_string), cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_describe),      cmocka_unit_test(test_empty_and_eof),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
