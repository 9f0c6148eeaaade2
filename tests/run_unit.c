/* The unit-test runner: every suite listed in suites.def, CUnit's summary,
 * exit status non-zero on any failure. `bin/unit-tests SUITE [TEST]` runs one. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

/* Weak, so the runner links while a suite is being written; a listed
 * suite that is missing fails the run (never a silent skip). */
#define SUITE(name) int suite_##name(void) __attribute__((weak));
#include "suites.def"
#undef SUITE

static const struct {
	const char *name;
	int (*add)(void);
} all_suites[] = {
#define SUITE(name) { #name, suite_##name },
#include "suites.def"
#undef SUITE
};

int main(int argc, char **argv)
{
	const char *only_suite = argc > 1 ? argv[1] : NULL;
	const char *only_test = argc > 2 ? argv[2] : NULL;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	unsigned missing = 0;
	for (size_t i = 0; i < sizeof all_suites / sizeof all_suites[0]; i++) {
		if (!all_suites[i].add) {
			fprintf(stderr, "suite %s: listed in suites.def but not linked in\n",
			        all_suites[i].name);
			missing++;
			continue;
		}
		if (all_suites[i].add() != 0) {
			fprintf(stderr, "suite %s: %s\n", all_suites[i].name, CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (only_suite) {
		CU_pSuite s = CU_get_suite(only_suite);
		if (!s) {
			fprintf(stderr, "no suite named %s\n", only_suite);
			CU_cleanup_registry();
			return 2;
		}
		if (only_test) {
			CU_pTest t = CU_get_test(s, only_test);
			if (!t) {
				fprintf(stderr, "no test %s in suite %s\n", only_test, only_suite);
				CU_cleanup_registry();
				return 2;
			}
			CU_basic_run_test(s, t);
		} else {
			CU_basic_run_suite(s);
		}
	} else {
		CU_basic_run_tests();
	}
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned asserts_failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	if (missing)
		fprintf(stderr, "%u listed suite(s) missing: FAILED\n", missing);
	return (failed || asserts_failed || missing) ? 1 : 0;
}
