#!/usr/bin/env bash
# End-to-end: a score job ended by a signal leaves neither its output nor its temporary
# file: SIGTERM to mpirun (2 ranks), SIGHUP to a single process; and a job whose output
# would replace its input is refused before any work, the input untouched.
# usage: interrupt.sh MGEO_DIST WORK_DIR "MPIRUN..."
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2 mpirun=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" synth --pairs 4000 --seed 3 --output pairs.csv 2>/dev/null || fail "synth"
common=(score --input pairs.csv --threads 1 --batch-size 4 --chunk-rows 64 --sort-window 64 --quiet)

# Waits until the job's temporary output exists (up to 60 s), then sends the signal.
interrupt() {
  local sig=$1 pid=$2 out=$3
  for _ in $(seq 600); do
    compgen -G ".$out.tmp.*" > /dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "$out: the job ended before it could be interrupted"
    sleep 0.1
  done
  compgen -G ".$out.tmp.*" > /dev/null || fail "$out: no temporary file appeared"
  sleep 0.5
  kill -"$sig" "$pid"
  wait "$pid" && fail "$out: exit status 0 after SIG$sig"
  sleep 1
  ls -a
  compgen -G ".$out.tmp.*" > /dev/null && fail "$out: temporary file left behind after SIG$sig"
  test -e "$out" && fail "$out: output written although the job was interrupted"
  return 0
}

$mpirun -np 2 "$bin" "${common[@]}" --output np2.csv &
interrupt TERM $! np2.csv
"$bin" "${common[@]}" --output np1.csv &
interrupt HUP $! np1.csv  # (a background job of a script ignores SIGINT)

cp pairs.csv before.csv
"$bin" "${common[@]}" --output pairs.csv 2> refused.err && fail "output = input was accepted"
grep -q "would destroy the input" refused.err || fail "unclear refusal: $(cat refused.err)"
cmp pairs.csv before.csv || fail "the input changed"
echo "interrupt: ok"
