#!/usr/bin/env bash
# Machine-checked proofs of KCore's memory-protection core (docs/verification.md):
# Frama-C's WP plugin with runtime-error guards on each file below, the proof
# obligations discharged by Z3 and CVC4 through Why3. Prints one line per file
# and a total; exits non-zero if any goal is unproved or Frama-C fails.
#
# Environment: PROVE_TIMEOUT (seconds per goal and prover, default 20),
# PROVE_JOBS (files proved at once, default 2; each runs one prover at a
# time, the next only if the one before failed: see $PROVERS below),
# PROVE_CACHE (WP's cache mode, default update; "none" runs every
# prover again), PROVE_CACHE_DIR (where the cache lives, default
# ~/.cache/kcore-prove: outside the tree, like ccache's, so that a fresh
# clone on the same machine reuses the answers for goals that did not
# change), PROVE_ONLY (names of files to prove, e.g. "pgtable vm_ids";
# default all).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

OUT=out/prove
TIMEOUT=${PROVE_TIMEOUT:-20}
JOBS=${PROVE_JOBS:-2}
CACHE=${PROVE_CACHE:-update}
CACHE_DIR=${PROVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kcore-prove}
ONLY=${PROVE_ONLY:-}

# pgtable.h's clauses about what a table translates (pt_maps), which the
# other files rely on and pgtable.c's proof does not cover: trusted
# (docs/verification.md), so not goals there.
PGTABLE_TRUSTED=trusted_init_empty,-trusted_map_done,-trusted_map_only,-trusted_unmap_done,-trusted_unmap_only
PGTABLE_TRUSTED=$PGTABLE_TRUSTED,-trusted_lookup_maps,-trusted_lookup_none

# palloc.h's clauses saying which pages a pool holds (pool_owns): its
# definition, trusted (docs/verification.md), so not goals in palloc.c.
PALLOC_TRUSTED=trusted_pool_init_owns,-trusted_pool_init_others,-trusted_pool_add_owns,-trusted_pool_add_others

# The lemmas of kcore/proof/lemmas.h (see the lemma run below).
PROOF_LEMMAS=owner_unique,-kserv_free_at

# The functions of vm.c and vm_mem.c proved so far (docs/verification.md).
# vm.c is proved in two runs, one per core: building a new VM's record
# (about 12 of its 27 minutes with an empty cache) and the rest.
VM_BUILD_FCTS=vms_ok_intro,record_init,build_locked
VM_FCTS=vm_lookup,vm_map_reserve,take_locked,pool_grow,donate_locked,create_locked,destroy_locked
VM_MEM_FCTS=mapped_page,vm_for_ipa,vm_pt_map,guest_map,map_locked
VM_MEM_FCTS=$VM_MEM_FCTS,vm_pt_unmap,guest_unmap,give_locked,unmap_locked,reclaim_locked

# The proved files, each with the Frama-C options it needs beyond the common ones
# (more time per goal for four files, whose slowest goals are too close to
# the common limit on a slower machine: four times for mem_protect.c, where
# Z3 needed 47-48 s on 2026-12-07 for a loop invariant of mp_take_from_kserv
# and an assert of mp_give_to_kserv, and host_s2.c, up to 52 s for two of
# fault_locked's asserts; twice for vm_mem.c, 16-32 s for some of
# vm_pt_map's, guest_map's and give_locked's asserts when two files are
# proved at once; three times for vm.c, up to 27 s for destroy_locked's
# assigns clause).
# The longest first, so that the files proved at once finish at about the
# same time.
# An entry FILE:PART is a run of its own over some of FILE's functions,
# with its own logs and report (PART in their names), and no lemma run
# (FILE's entry without a part has it).
FILES=(
	"kcore/vm.c -wp-model Typed+cast -wp-timeout $((TIMEOUT * 3)) -wp-fct $VM_FCTS"
	"kcore/vm.c:build -wp-model Typed+cast -wp-timeout $((TIMEOUT * 3)) -wp-fct $VM_BUILD_FCTS"
	"kcore/vm_mem.c -wp-model Typed+cast -wp-timeout $((TIMEOUT * 2)) -wp-fct $VM_MEM_FCTS"
	"kcore/mem_protect.c -wp-model Typed+cast -wp-timeout $((TIMEOUT * 4))"
	"kcore/pgtable.c -wp-model Typed+cast -wp-prop=-$PGTABLE_TRUSTED"
	"kcore/host_s2.c -wp-model Typed+cast -wp-skip-fct host_s2_fault -wp-timeout $((TIMEOUT * 4))"
	"kcore/owner.c"
	"kcore/lib.c -wp-model Typed+cast -wp-skip-fct kc_strcmp"
	"kcore/proof/invariants.c -wp-model Typed+cast"
	"kcore/palloc.c -wp-model Typed+cast -wp-prop=-$PALLOC_TRUSTED"
	"kcore/vm_ids.c -wp-skip-fct pt_shift,pt_level_size"
	"kcore/hcall_args.c"
)

for tool in frama-c why3 z3 cvc4; do
	command -v "$tool" >/dev/null || {
		echo "prove: $tool not found (scripts/setup.sh installs it)" >&2
		exit 1
	}
done

# Why3 finds the provers through its configuration; make it once per machine.
if [ ! -f "$HOME/.why3.conf" ]; then
	why3 config detect >/dev/null || {
		echo "prove: why3 config detect failed" >&2
		exit 1
	}
fi

# Our own copy of that configuration, with one more Z3 alternative: Z3 with
# its automatic configuration off. Z3's automatic choice of tactics gets lost
# on some of these obligations that it proves at once without it.
mkdir -p "$OUT"
z3_version=$(why3 config list-provers 2>/dev/null | sed -n 's/^Z3 \([0-9.]*\)$/\1/p' | head -n 1)
if [ -z "$z3_version" ]; then
	echo "prove: why3 does not know Z3 (why3 config detect)" >&2
	exit 1
fi
cvc4_version=$(why3 config list-provers 2>/dev/null | sed -n 's/^CVC4 \([0-9.]*\)$/\1/p' | head -n 1)
if [ -z "$cvc4_version" ]; then
	echo "prove: why3 does not know CVC4 (why3 config detect)" >&2
	exit 1
fi
z3_options="auto_config=false sat.random_seed=42 nlsat.randomize=false smt.random_seed=42"
# WP tries the provers of $PROVERS one after another on each goal, each up to
# the file's time limit, so a goal only CVC4 proves used to cost Z3's whole
# limit first (37 goals, about half of the provers' time in a cold run on
# 2026-12-07, though CVC4 needs about a second for most of them). Hence a
# quick round first: Z3 and then CVC4, each stopped by its own command line
# after a few seconds (nearly every goal a prover proves at all, it proves in
# that time; CVC4 gets more, which some of the VM files' goals need); then the full
# limit, for the few goals that need more.
QUICK_Z3=5
QUICK_CVC4=10
# prover_entry NAME VERSION ALTERNATIVE DRIVER COMMAND COMMAND_STEPS: one
# prover of Why3's configuration.
prover_entry() {
	printf '\n[prover]\nalternative = "%s"\ncommand = "%s"\ncommand_steps = "%s"\n' "$3" "$5" "$6"
	printf 'driver = "%s"\nin_place = false\ninteractive = false\nname = "%s"\nversion = "%s"\n' "$4" "$1" "$2"
}
z3=$(command -v z3)
cvc4=$(command -v cvc4)
{
	# Why3 stops a prover at 1000 MB by default, which Z3 reaches on some of
	# the larger goals (it then reports "out of memory" or an unknown
	# error, not a timeout).
	sed 's/^memlimit = .*/memlimit = 4000/' "$HOME/.why3.conf"
	prover_entry Z3 "$z3_version" noauto z3_471 "$z3 -smt2 -T:%t $z3_options -st %f" \
		"$z3 -smt2 $z3_options -st rlimit=%S %f"
	prover_entry Z3 "$z3_version" quick z3_471 "$z3 -smt2 -T:$QUICK_Z3 $z3_options -st %f" \
		"$z3 -smt2 $z3_options -st rlimit=%S %f"
	prover_entry CVC4 "$cvc4_version" quick cvc4_17 "$cvc4 --stats --tlimit=${QUICK_CVC4}000 --lang=smt2 %f" \
		"$cvc4 --stats --rlimit=%S --lang=smt2 %f"
} >"$OUT/why3.conf"
export WHY3CONFIG=$PWD/$OUT/why3.conf
# The quick round, then the full limit: Z3 without its automatic
# configuration, CVC4, Z3 as Why3 runs it.
PROVERS="Z3:$z3_version:quick,CVC4:$cvc4_version:quick,Z3:$z3_version:noauto,cvc4,z3"

cache_args=(-wp-cache "$CACHE")
if [ "$CACHE" != none ]; then
	mkdir -p "$CACHE_DIR"
	cache_args+=(-wp-cache-dir "$CACHE_DIR")
fi

# wp FILE LOG OPTIONS...: run WP on FILE; print "proved goals" from its summary.
wp() {
	local file=$1 log=$2
	shift 2
	# -wp-rte and the -warn-* options add a goal for every possible runtime
	# error: invalid memory access, signed and unsigned overflow, and any
	# integer conversion that changes a value.
	frama-c -c11 -cpp-extra-args="-Ikcore -Iinclude" "$file" \
		-warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast \
		-wp -wp-rte -wp-split -wp-prover "$PROVERS" -wp-timeout "$TIMEOUT" -wp-par 1 \
		-wp-session "${log%.log}.session" "${cache_args[@]}" "$@" >"$log" 2>&1 || return 1
	if grep -qE '^\[wp\] (No proof obligations|Warning: No goal generated)' "$log"; then
		echo "0 0"
	else
		sed -n 's/^\[wp\] Proved goals: *\([0-9]*\) *\/ *\([0-9]*\)$/\1 \2/p' "$log" | tail -n 1
	fi
}

# entry_names ENTRY: set file, part (after a ':', or empty), base (the
# file's name without .c) and name (base, with -part for a part).
entry_names() {
	local spec=${1%% *}
	file=${spec%%:*}
	part=
	[ "$spec" = "$file" ] || part=${spec#*:}
	base=$(basename "$file" .c)
	name=$base${part:+-$part}
}

# prove_file ENTRY: prove one file or part (its functions, then for a whole
# file its lemmas: ACSL lemmas are only selected when no function is
# skipped, so they get a run of their own); write its report to
# $OUT/NAME.report and "proved goals" to $OUT/NAME.count ("" if Frama-C
# failed).
prove_file() {
	local args file part base name what fcts lemmas rc lemma_props p1 g1 p2 g2
	read -r -a args <<<"$1"
	entry_names "$1"
	what=$file${part:+ ($part)}
	fcts=$(wp "$file" "$OUT/$name.log" "${args[@]:1}")
	rc=$?
	# kcore/proof/lemmas.h's lemmas are proved with invariants.c, in its
	# smaller context; the other files that include it use them.
	lemma_props=@lemma
	[ "$name" = invariants ] || lemma_props=$lemma_props,-$PROOF_LEMMAS
	lemmas="0 0"
	: >"$OUT/$name.lemmas.log"
	if [ -z "$part" ]; then
		lemmas=$(wp "$file" "$OUT/$name.lemmas.log" -wp-prop="$lemma_props")
		rc=$((rc + $?))
	fi
	if [ $rc -ne 0 ] || [ -z "$fcts" ] || [ -z "$lemmas" ]; then
		{
			echo "prove: $what: frama-c failed, see $OUT/$name.log and $OUT/$name.lemmas.log"
			grep -hE 'User Error|error|Error' "$OUT/$name.log" "$OUT/$name.lemmas.log" | head -n 20
		} >"$OUT/$name.report"
		: >"$OUT/$name.count"
		return
	fi
	read -r p1 g1 <<<"$fcts"
	read -r p2 g2 <<<"$lemmas"
	{
		echo "prove: $what: $((p1 + p2))/$((g1 + g2)) goals proved"
		if [ $((p1 + p2)) -ne $((g1 + g2)) ]; then
			grep -hA3 '^\[wp\] \[Failed\]' "$OUT/$name.log" "$OUT/$name.lemmas.log" | sed 's/^/    /'
		fi
	} >"$OUT/$name.report"
	echo "$((p1 + p2)) $((g1 + g2))" >"$OUT/$name.count"
}

# Prove the files, $JOBS at a time: Frama-C itself runs on one core (it
# builds and simplifies every goal before a prover sees it, several minutes
# in all), so one file's provers use the core another file's Frama-C leaves.
names=()
start=$(date +%s)
for entry in "${FILES[@]}"; do
	entry_names "$entry"
	if [ -n "$ONLY" ] && [[ " $ONLY " != *" $base "* ]]; then
		continue
	fi
	names+=("$name")
	rm -f "$OUT/$name.report" "$OUT/$name.count"
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	prove_file "$entry" &
done
wait

total_proved=0
total_goals=0
status=0
for name in "${names[@]}"; do
	cat "$OUT/$name.report" 2>/dev/null || echo "prove: $name: no report"
	read -r proved goals 2>/dev/null <"$OUT/$name.count" || proved=
	if [ -z "$proved" ] || [ "$proved" -ne "$goals" ]; then
		status=1
	fi
	total_proved=$((total_proved + ${proved:-0}))
	total_goals=$((total_goals + ${goals:-0}))
done
echo "prove: total: $total_proved/$total_goals goals proved ($(($(date +%s) - start))s)"
exit $status
