#!/usr/bin/env bash
# End-to-end: a job killed at a random point and rerun with --resume gives the output of an
# uninterrupted run, byte for byte, on any number of ranks; nothing lost, nothing doubled.
#  - score: kill -9 of one rank (2 ranks), resumed on 3; SIGTERM to mpirun, resumed on 1;
#    kill -9 of a single process, resumed on 2 ranks with dynamic sharding; .tsv and .h5 outputs.
#  - a journal cut inside its last record (a crash mid-write) still resumes.
#  - a resume with another model option or another input is refused, naming what differs.
#  - link and dedupe: killed while scoring, resumed, same links and clusters.
# usage: resume.sh MGEO_DIST WORK_DIR "MPIRUN..."
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2 mpirun=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" synth --pairs 1200 --seed 5 --output pairs.csv 2>/dev/null || fail "synth"
common=(score --input pairs.csv --threads 1 --batch-size 8 --chunk-rows 64 --sort-window 32 --quiet)
"$bin" "${common[@]}" --output ref.csv || fail "reference run"
"$bin" "${common[@]}" --output ref.tsv || fail "reference run (tsv)"
"$bin" "${common[@]}" --output ref.h5 || fail "reference run (h5)"
test -e .ref.csv.journal && fail "the journal outlived a complete run"

# Waits until the journal of `out` holds more than `bytes` bytes and a random extra moment.
wait_journal() {
  local out=$1 pid=$2 bytes=$3
  for _ in $(seq 1200); do
    [[ -e ".$out.journal" && $(stat -c %s ".$out.journal") -gt $bytes ]] && break
    kill -0 "$pid" 2>/dev/null || fail "$out: the job ended before it could be interrupted"
    sleep 0.05
  done
  sleep "0.$((RANDOM % 5))"
  kill -0 "$pid" 2>/dev/null || fail "$out: the job ended before it could be interrupted"
}
# Runs the command, then kill -9 once the journal of `out` holds more than `bytes` bytes.
killed_midway() {  # out bytes command...
  local out=$1 bytes=$2; shift 2
  "$@" &
  local pid=$!
  wait_journal "$out" $pid "$bytes"
  kill -9 $pid
  wait $pid && fail "$out: exit 0 after kill -9"
  return 0
}
# The rank processes (children) of an mpirun.
ranks_of() { pgrep -P "$1" -f mgeo-dist; }
resumed() {  # out ref ranks extra...
  local out=$1 ref=$2 np=$3; shift 3
  test -e "$out" && fail "$out: output present although the job was killed"
  test -s ".$out.journal" || fail "$out: no journal kept"
  $mpirun -np "$np" "$bin" "${common[@]}" --output "$out" --resume "$@" 2> "$out.err" || { cat "$out.err"; fail "$out: resume"; }
  cmp "$out" "$ref" || fail "$out: resumed output differs from the uninterrupted run"
  test -e ".$out.journal" && fail "$out: journal left after the resumed run"
  python3 - "$out.metrics.json" <<'PY' || fail "$out: metrics"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["resumed_rows"] > 0, m["resumed_rows"]
assert sum(m["status_counts"].values()) == 1200, m["status_counts"]
PY
}

# 1. kill -9 of one of 2 ranks, resumed on 3.
$mpirun -np 2 "$bin" "${common[@]}" --output a.csv &
job=$!
wait_journal a.csv $job 4000
kill -9 "$(ranks_of $job | tail -n 1)"
wait $job && fail "a.csv: exit 0 after kill -9 of a rank"
resumed a.csv ref.csv 3

# 2. SIGTERM to mpirun, resumed on 1 rank; the interrupted run says how to resume.
$mpirun -np 2 "$bin" "${common[@]}" --output b.csv 2> b.err &
job=$!
wait_journal b.csv $job 10000
kill -TERM $job
wait $job && fail "b.csv: exit 0 after SIGTERM"
sleep 1
resumed b.csv ref.csv 1

# 3. kill -9 of a single process, resumed on 2 ranks with dynamic sharding.
killed_midway c.csv 15000 "$bin" "${common[@]}" --output c.csv
resumed c.csv ref.csv 2 --sharding dynamic

# 4. A .tsv output.
killed_midway d.tsv 5000 "$bin" "${common[@]}" --output d.tsv
resumed d.tsv ref.tsv 2

# 4b. An HDF5 output (written without object times, so equal rows give equal bytes).
killed_midway d.h5 5000 "$bin" "${common[@]}" --output d.h5
resumed d.h5 ref.h5 1

# 5. A journal torn inside its last record.
killed_midway e.csv 5000 "$bin" "${common[@]}" --output e.csv
size=$(stat -c %s .e.csv.journal)
truncate -s $((size - 100)) .e.csv.journal
resumed e.csv ref.csv 1

# 6. Another option or another input: refused, naming what differs; the journal is kept.
killed_midway f.csv 4000 "$bin" "${common[@]}" --output f.csv
"$bin" "${common[@]}" --output f.csv --resume --max-length 64 2> f.err && fail "a resume with another --max-length was accepted"
grep -q "max_length" f.err || fail "unclear refusal: $(cat f.err)"
head -n 1001 pairs.csv > other.csv
"$bin" "${common[@]/pairs.csv/other.csv}" --output f.csv --resume 2> f2.err && fail "a resume over another input was accepted"
grep -q "input" f2.err || fail "unclear refusal: $(cat f2.err)"
test -s .f.csv.journal || fail "a refused resume removed the journal"
resumed f.csv ref.csv 1

# 7. link and dedupe, killed while scoring and resumed.
"$bin" synth --link --master 1500 --queries 300 --seed 11 --output-dir set 2>/dev/null || fail "synth --link"
lcommon=(--threads 1 --batch-size 8 --chunk-rows 64 --sort-window 32 --quiet)
"$bin" link --master set/master.csv --queries set/queries.csv --output lref.csv "${lcommon[@]}" || fail "link reference"
killed_midway l.csv 5000 "$bin" link --master set/master.csv --queries set/queries.csv --output l.csv "${lcommon[@]}"
test -e l.csv && fail "l.csv: output present although the job was killed"
$mpirun -np 2 "$bin" link --master set/master.csv --queries set/queries.csv --output l.csv "${lcommon[@]}" --resume \
  || fail "link resume"
cmp l.csv lref.csv || fail "resumed links differ from the uninterrupted run"
test -e .l.csv.journal && fail "link: journal left after the resumed run"

"$bin" dedupe --input set/dedupe.csv --output dref.csv "${lcommon[@]}" || fail "dedupe reference"
killed_midway dd.csv 3000 "$bin" dedupe --input set/dedupe.csv --output dd.csv "${lcommon[@]}"
"$bin" dedupe --input set/dedupe.csv --output dd.csv "${lcommon[@]}" --resume || fail "dedupe resume"
cmp dd.csv dref.csv || fail "resumed clusters differ from the uninterrupted run"
echo "resume: ok"
