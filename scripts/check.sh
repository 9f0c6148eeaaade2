#!/usr/bin/env bash
# Runs every test group of `make check` and prints one summary at the end.
# A group fails on any failed test, on a sanitizer report, or when it ran no test.
set -uo pipefail
cd "$(dirname "$0")/.."

logdir=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-check.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
total_pass=0
total_fail=0
rows=()
# tests/scenarios.sh appends one line per scenario here for the last table.
export V6LAB_SUMMARY="$logdir/scenario-rows"

# CUnit prints "tests  TOTAL RAN PASSED FAILED INACTIVE" in its run summary.
cunit_counts() {
	awk '$1 == "tests" && NF >= 5 { print $4, $5; found=1 } END { if (!found) print "0 0" }' "$1"
}

# Shell tests end with a line "N passed, M failed".
plain_counts() {
	grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | awk '{ print $1, $3 }' | grep . || echo "0 0"
}

run_group() { # name kind command...
	local name=$1 kind=$2
	shift 2
	local log="$logdir/$name.log" start end status pass fail
	start=$(date +%s)
	echo "=== $name: $*"
	"$@" >"$log" 2>&1
	status=$?
	end=$(date +%s)
	cat "$log"
	if [ "$kind" = cunit ]; then read -r pass fail < <(cunit_counts "$log");
	else read -r pass fail < <(plain_counts "$log"); fi
	# A sanitizer report fails the group whatever the exit status said.
	if grep -qE '^(==[0-9]+==ERROR: |SUMMARY: (Address|UndefinedBehavior)Sanitizer)|runtime error:' "$log"; then
		echo "$name: sanitizer report above" >&2
		status=1
		fail=$((fail + 1))
	fi
	if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
	if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then echo "$name: ran no test" >&2; fail=1; fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	rows+=("$(printf '%-22s %6d %6d %6ss  %s' "$name" "$pass" "$fail" "$((end - start))" \
		"$([ "$fail" -eq 0 ] && echo ok || echo FAILED)")")
}

run_group unit cunit bin/unit-tests

for t in tests/*.sh; do
	[ -e "$t" ] || continue
	run_group "$(basename "$t" .sh)" plain bash "$t"
done

# The same unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
if make --no-print-directory check-sanitize >"$logdir/asan-build.log" 2>&1; then
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_group unit-asan+ubsan cunit build-asan/unit-tests
else
	cat "$logdir/asan-build.log"
	rows+=("$(printf '%-22s %6s %6d %6s   %s' unit-asan+ubsan - 1 - 'BUILD FAILED')")
	total_fail=$((total_fail + 1))
fi

echo
echo "=== summary"
printf '%-22s %6s %6s %7s  %s\n' group passed failed time result
for r in "${rows[@]}"; do echo "$r"; done
if [ -s "$V6LAB_SUMMARY" ]; then
	echo
	echo "=== scenarios (expectations; saved captures and transcript in captures/NAME/)"
	printf '%-22s %6s %6s %7s %8s %8s\n' scenario held failed matched differed time
	while read -r n h f m d t; do
		printf '%-22s %6d %6d %7d %8d %7ss  %s\n' "$n" "$h" "$f" "$m" "$d" "$t" \
			"$([ "$f" -eq 0 ] && [ "$d" -eq 0 ] && echo ok || echo FAILED)"
	done <"$V6LAB_SUMMARY"
fi
# CUnit's own run summary (suites, tests, asserts), as the unit group printed it.
if [ -s "$logdir/unit.log" ]; then
	echo
	echo "=== unit tests (CUnit)"
	sed -n '/^Run Summary:/,/^Elapsed time/p' "$logdir/unit.log"
fi
echo
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
