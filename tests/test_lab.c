/*
 * The labs' checker: answers normalised as the handouts promise (case,
 * leading zeros, ::, thousands separators, MAC separators), hashed to the
 * SHA-256 that sha256sum gives for the normal form (the values below were
 * computed with `printf '%s' FORM | sha256sum`, not by this code), answers
 * files refused with FILE:LINE:COL, and --dir's swap of `file ... from`.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labs/lab_int.h"

int suite_lab(void);

static void want_norm(const char *in, enum lab_norm_kind k, const char *want)
{
	char out[LAB_NORM_MAX];
	CU_ASSERT_TRUE_FATAL(lab_normalise(in, k, out, sizeof out));
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\n  '%s': want '%s', got '%s'\n", in, want, out);
}

static void test_normalise(void)
{
	want_norm("  2001:DF0:0009::0202:0083:0176:0248 ", LAB_NORM_TEXT, "2001:df0:9:0:202:83:176:248");
	want_norm("2001:0DF0:0009:0000::/56", LAB_NORM_TEXT, "2001:df0:9::/56");
	want_norm("FF02:0:0:0:0:1:FF78:9ABC", LAB_NORM_TEXT, "ff02::1:ff78:9abc");
	want_norm("fe80::20F:EAFF:FE2C:D518%TUN0", LAB_NORM_TEXT, "fe80::20f:eaff:fe2c:d518%tun0");
	want_norm("2001:db8:0:0:1:0:0:1", LAB_NORM_TEXT, "2001:db8::1:0:0:1"); /* RFC 5952 4.2.3 */
	want_norm("2001:db8:0:1:1:1:1:1", LAB_NORM_TEXT, "2001:db8:0:1:1:1:1:1"); /* 4.2.2: one 0 stays */
	want_norm("33-33-FF-78-9A-BC", LAB_NORM_TEXT, "33:33:ff:78:9a:bc");
	want_norm("0:c:86:75:24:1b", LAB_NORM_TEXT, "00:0c:86:75:24:1b");
	want_norm("020c:86ff:fe75:241b", LAB_NORM_TEXT, "20c:86ff:fe75:241b");
	want_norm("65,536", LAB_NORM_TEXT, "65536");
	want_norm("1_208_925_819_614_629_174_706_176", LAB_NORM_TEXT, "1208925819614629174706176");
	want_norm("1,2", LAB_NORM_TEXT, "1,2");          /* not a thousands separator */
	want_norm("12,34,567", LAB_NORM_TEXT, "12,34,567");
	want_norm("  Two   Hundred\tand X ", LAB_NORM_TEXT, "two hundred and x");
	want_norm("10.1.2.3", LAB_NORM_TEXT, "10.1.2.3");
	want_norm("", LAB_NORM_TEXT, "");
	want_norm("584,942,417,355", LAB_NORM_SIG3, "5.85e+11");
	want_norm("5.849E11", LAB_NORM_SIG3, "5.85e+11");
	want_norm("584542046090.6", LAB_NORM_SIG3, "5.85e+11"); /* a 365.25-day year */

	char out[LAB_NORM_MAX];
	CU_ASSERT_FALSE(lab_normalise("about a trillion", LAB_NORM_SIG3, out, sizeof out));
	CU_ASSERT_FALSE(lab_normalise("12abc", LAB_NORM_SIG3, out, sizeof out));
	char huge[LAB_NORM_MAX + 10];
	memset(huge, 'a', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	CU_ASSERT_FALSE(lab_normalise(huge, LAB_NORM_TEXT, out, sizeof out));
}

static void test_sha256(void)
{
	static const struct {
		const char *text, *hex;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "ff02::1:ff78:9abc", "98c68b743e436faac17ec7eb5ec6972fb8104eb0a79cf4127373185420236ffd" },
		{ "33:33:ff:78:9a:bc", "47c057fa3781e1caec2772d7cd96ac75882c1e96ca6d933fec615b0e4c89d6ab" },
		{ "1208925819614629174706176",
		  "f357dd857f636a730632409c3f9e7e4704762b2ef6ce89393d141b6589013f70" },
		{ "5.85e+11", "37f26b4048efc36819ac8a2f307365a59db5a833400c999eedd1d632796f39d6" },
	};
	char hex[LAB_HASH_HEX];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		lab_sha256_hex(v[i].text, hex);
		CU_ASSERT_STRING_EQUAL(hex, v[i].hex);
	}
	/* The normal form is what is hashed: an answer in capitals matches. */
	char norm[LAB_NORM_MAX];
	CU_ASSERT_TRUE_FATAL(lab_normalise("2001:0DF0:9::/56", LAB_NORM_TEXT, norm, sizeof norm));
	lab_sha256_hex(norm, hex);
	CU_ASSERT_STRING_EQUAL(hex, "b561d31508c8c0957c6bd30a1c1e99e0da760fcb0b21de5b8fc264495e92b656");
}

static void want_answers_error(const char *text, const char *want)
{
	struct lab_answers a = { 0 };
	char err[256] = "";
	CU_ASSERT_EQUAL(lab_answers_parse("w/answers.txt", text, &a, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
	if (strcmp(err, want) != 0)
		fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, err);
	lab_answers_free(&a);
}

static void test_answers_parse(void)
{
	struct lab_answers a = { 0 };
	char err[256] = "";
	const char *text = "# a comment\n\n  q1 = 2001:db8::1   # mine\nq2=\nq3 = a b#c\n";

	CU_ASSERT_EQUAL_FATAL(lab_answers_parse("w/answers.txt", text, &a, err, sizeof err), 0);
	CU_ASSERT_EQUAL_FATAL(a.n, 3);
	CU_ASSERT_STRING_EQUAL(a.v[0].key, "q1");
	CU_ASSERT_STRING_EQUAL(a.v[0].value, "2001:db8::1");
	CU_ASSERT_EQUAL(a.v[0].line, 3);
	CU_ASSERT_STRING_EQUAL(a.v[1].value, "");
	CU_ASSERT_STRING_EQUAL(a.v[2].value, "a b#c"); /* '#' inside a word is not a comment */
	lab_answers_free(&a);

	want_answers_error("q1 = 1\nq2 2\n", "w/answers.txt:2:1: expected KEY = VALUE (no '=' on this line)");
	want_answers_error("  = 5\n", "w/answers.txt:1:3: expected a key (letters, digits and '_')");
	want_answers_error("q-1 = 5\n", "w/answers.txt:1:2: expected '=' after the key 'q'");
	want_answers_error("q1 = 1\n\nq1 = 2\n", "w/answers.txt:3:1: key 'q1' is already given on line 1");
}

static void want_checks_error(const char *text, const char *want)
{
	struct lab_checks c = { 0 };
	char err[256] = "";
	CU_ASSERT_EQUAL(lab_checks_parse("answers.check", text, &c, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, want);
	if (strcmp(err, want) != 0)
		fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, err);
	lab_checks_free(&c);
}

#define H65536 "0f255ec16482c343fd099ba9668863778be40dc166a6856b1d470e0bc97cc6fd"
#define H256 "51e8ea280b44e16934d4d611901f3d3afc41789840acdff81942c2f65009cd52"

/* Two keys of one goal, one key with two accepted answers. */
static void test_answers_goals(void)
{
	struct lab_checks c = { 0 };
	struct lab_answers a = { 0 };
	struct lab_goals g = { 0 };
	char err[256] = "";
	const char *check = "n64 sha256 " H65536 " \"counts\" hint \"2^16\"\n"
	                    "n56 sha256 " H256 "," H65536 " \"counts\" hint \"2^8\"\n"
	                    "x sha256 " H256 " \"other \\\"one\\\"\" hint \"h\"\n";

	CU_ASSERT_EQUAL_FATAL(lab_checks_parse("answers.check", check, &c, err, sizeof err), 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 3);
	CU_ASSERT_EQUAL(c.v[1].nhashes, 2);
	CU_ASSERT_STRING_EQUAL(c.v[2].goal, "other \"one\"");
	CU_ASSERT_EQUAL_FATAL(lab_answers_parse("a", "n64 = 65,536\nn56 = 256\nx = 255\n", &a, err,
	                                        sizeof err), 0);
	CU_ASSERT_EQUAL(lab_answers_known("a", &a, &c, err, sizeof err), 0);
	CU_ASSERT_TRUE_FATAL(lab_answers_goals(&a, &c, &g));
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	CU_ASSERT_STRING_EQUAL(g.v[0].text, "counts");
	CU_ASSERT_TRUE(g.v[0].met);
	CU_ASSERT_FALSE(g.v[1].met);
	lab_goals_free(&g);
	lab_answers_free(&a);
	/* One wrong key of a goal makes the goal unmet; an unknown key is an error. */
	CU_ASSERT_EQUAL_FATAL(lab_answers_parse("a", "n64 = 65535\nn56 = 256\nzz = 1\n", &a, err,
	                                        sizeof err), 0);
	CU_ASSERT_EQUAL(lab_answers_known("a", &a, &c, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "a:3:1: unknown key 'zz' (the keys are those of the lab's "
	                       "files/answers.txt)");
	CU_ASSERT_TRUE_FATAL(lab_answers_goals(&a, &c, &g));
	CU_ASSERT_FALSE(g.v[0].met);
	lab_goals_free(&g);
	lab_answers_free(&a);
	lab_checks_free(&c);

	want_checks_error("k md5 " H256 " \"g\" hint \"h\"\n",
	                  "answers.check:1:3: expected 'sha256' or 'sha256-3sig' after the key 'k'");
	want_checks_error("k sha256 ABC \"g\" hint \"h\"\n",
	                  "answers.check:1:10: expected a SHA-256 in 64 lower-case hex digits "
	                  "(`v6lab lab hash VALUE` prints it)");
	want_checks_error("k sha256 " H256 " \"g\"\n",
	                  "answers.check:1:78: expected 'hint \"TEXT\"' after the goal text");
	want_checks_error("k sha256 " H256 " \"g hint \"h\"\n",
	                  "answers.check:1:84: expected 'hint \"TEXT\"' after the goal text");
}

/* --dir: a `file ... from` whose basename is in WORK is read from there,
 * with a "using" line; the others stay; validation keeps the swapped data. */
static void test_override(void)
{
	char tmpl[] = "/tmp/v6lab-lab-XXXXXX", path[PATH_MAX + 32];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(path, sizeof path, "%s/motd", tmpl);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("mine\n", f);
	fclose(f);

	const char *text = "node a host\nlink l ethernet a:e0\n"
	                   "file a:/etc/motd from motd\n"
	                   "file a:/etc/rc.conf <<E\nx\nE\n";
	struct scn_diag d = { .msg = "" };
	struct scn *s = scn_parse("lab.scn", "/nonexistent", text, strlen(text), &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct lab l = { .num = 7 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	CU_ASSERT_EQUAL(lab_override_files(s, &l, tmpl, mem), 0);
	fclose(mem);
	char want[PATH_MAX + 64];
	snprintf(want, sizeof want, "using %s/motd for a:/etc/motd\n", tmpl);
	CU_ASSERT_STRING_EQUAL(out, want);
	CU_ASSERT_STRING_EQUAL(s->files[0].from, path);
	CU_ASSERT_EQUAL(s->files[0].len, 5);
	CU_ASSERT_EQUAL(scn_validate(s, &d), 0);
	CU_ASSERT_NSTRING_EQUAL(s->files[0].data, "mine\n", 5);
	CU_ASSERT_PTR_NULL(s->files[1].from);
	free(out);
	scn_free(s);

	/* Not in WORK and not beside the scenario: an error, nothing swapped. */
	unlink(path);
	s = scn_parse("lab.scn", "/nonexistent", text, strlen(text), &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	mem = fopen("/dev/null", "w");
	CU_ASSERT_EQUAL(lab_override_files(s, &l, tmpl, mem), -1);
	fclose(mem);
	CU_ASSERT_STRING_EQUAL(s->files[0].from, "motd");
	scn_free(s);
	rmdir(tmpl);
}

static void test_lab_number(void)
{
	int n = 0;
	CU_ASSERT_TRUE(lab_parse_number("3", &n));
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_TRUE(lab_parse_number("08", &n));
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_FALSE(lab_parse_number("0", &n));
	CU_ASSERT_FALSE(lab_parse_number("100", &n));
	CU_ASSERT_FALSE(lab_parse_number("3a", &n));
	CU_ASSERT_FALSE(lab_parse_number("", &n));
}

int suite_lab(void)
{
	CU_pSuite s = CU_add_suite("lab", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "normalise", test_normalise) ||
	    !CU_add_test(s, "sha256", test_sha256) ||
	    !CU_add_test(s, "answers_parse", test_answers_parse) ||
	    !CU_add_test(s, "answers_goals", test_answers_goals) ||
	    !CU_add_test(s, "override", test_override) ||
	    !CU_add_test(s, "lab_number", test_lab_number))
		return -1;
	return 0;
}
