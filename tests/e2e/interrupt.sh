#!/usr/bin/env bash
# End-to-end: a score job ended by a signal leaves no output and no temporary file.
#  - SIGHUP to one process: its handler removes the temporary file as it dies.
#  - SIGTERM to mpirun (2 ranks): mpirun sends SIGTERM, then SIGKILL a second later; when
#    the KILL wins (a loaded machine) the file stays, and the next run of the job removes it.
# A rank stopped with SIGSTOP does not keep the job waiting past --stall-timeout.
# And a job whose output would replace its input is refused before any work.
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
  test -e "$out" && fail "$out: output written although the job was interrupted"
  return 0
}
no_temp() { ! compgen -G ".$1.tmp.*" > /dev/null && ! test -e ".$1.lock" || { ls -a; fail "$1: $2"; }; }

"$bin" "${common[@]}" --output np1.csv &
interrupt HUP $! np1.csv  # (a background job of a script ignores SIGINT)
no_temp np1.csv "temporary or lock file left behind after SIGHUP"

$mpirun -np 2 "$bin" "${common[@]}" --output np2.csv &
interrupt TERM $! np2.csv
compgen -G ".np2.csv.tmp.*" > /dev/null && echo "note: SIGKILL came before the handler; the next run cleans up"
head -n 801 pairs.csv > short.csv
$mpirun -np 2 "$bin" "${common[@]/pairs.csv/short.csv}" --output np2.csv || fail "rerun after SIGTERM"
no_temp np2.csv "temporary file left behind after the rerun"
test "$(wc -l < np2.csv)" -eq 801 || fail "rerun output has $(wc -l < np2.csv) lines"

# A rank stopped with SIGSTOP: the other rank's watchdog ends the job after --stall-timeout.
$mpirun -np 2 "$bin" "${common[@]}" --output stall.csv --stall-timeout 4 2> stall.err &
job=$!
for _ in $(seq 600); do compgen -G ".stall.csv.tmp.*" > /dev/null && break; sleep 0.1; done
stopped=$(pgrep -P $job -f mgeo-dist | tail -n 1)
kill -STOP "$stopped"
start=$SECONDS
wait $job && fail "stall.csv: exit 0 with a stopped rank"
((SECONDS - start < 60)) || fail "stall.csv: the job took $((SECONDS - start)) s to end after a rank stopped"
grep -q "no progress for" stall.err || fail "stall.csv: no stall message: $(cat stall.err)"
sleep 1
state=$(ps -o stat= -p "$stopped" 2>/dev/null)
[[ -z "$state" || "$state" == Z* ]] || { kill -9 "$stopped"; fail "stall.csv: the stopped rank outlived the job ($state)"; }
test -e stall.csv && fail "stall.csv: output written"

cp pairs.csv before.csv
"$bin" "${common[@]}" --output pairs.csv 2> refused.err && fail "output = input was accepted"
grep -q "would destroy the input" refused.err || fail "unclear refusal: $(cat refused.err)"
cmp pairs.csv before.csv || fail "the input changed"
echo "interrupt: ok"
