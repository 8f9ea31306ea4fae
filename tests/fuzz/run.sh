#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan; -DMGEO_FUZZ=ON) and runs each for a
# bounded time, seeded from a scratch copy of tests/fuzz/corpus/<name> (the repository is
# never written). Fails on any finding (crash, sanitizer report, leak, timeout, OOM) and
# names the input that reproduces it. Usage: tests/fuzz/run.sh [name ...] (default: all).
# Env: MGEO_FUZZ_SECONDS per harness (60), MGEO_FUZZ_JOBS harnesses at once (nproc),
#      MGEO_FUZZ_BUILD_DIR (build-fuzz), MGEO_FUZZ_OUT scratch and findings (<build>/fuzz-out),
#      MGEO_FUZZ_MAX_LEN (8192), MGEO_FUZZ_STACK_KB (1024), MGEO_SKIP_INSTALL=1 (no apt/pip),
#      MGEO_SKIP_APT=1, MGEO_VENV, MGEO_JOBS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${MGEO_VENV:-$HOME/.mgeo-dist-venv}
build=${MGEO_FUZZ_BUILD_DIR:-$root/build-fuzz}
out=${MGEO_FUZZ_OUT:-$build/fuzz-out}
seconds=${MGEO_FUZZ_SECONDS:-60}
max_len=${MGEO_FUZZ_MAX_LEN:-8192}
jobs=${MGEO_FUZZ_JOBS:-$(nproc)}
stack_kb=${MGEO_FUZZ_STACK_KB:-1024}

# clang with its sanitizer and fuzzer runtimes, and llvm-symbolizer for readable traces.
install_clang() {
  local packages=(clang libclang-rt-dev llvm) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "fuzz: apt-get install ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
}

if [[ "${MGEO_SKIP_INSTALL:-0}" != 1 ]]; then
  bash "$root/launch/install-deps.sh"
  [[ "${MGEO_SKIP_APT:-0}" == 1 ]] || install_clang
fi

start=$SECONDS
cmake -S "$root" -B "$build" -G Ninja -DMGEO_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMGEO_PYTHON="$venv/bin/python" >/dev/null
names=("$@")
targets=()
for name in "${names[@]}"; do targets+=(--target "${name}_fuzz"); done
cmake --build "$build" -j "${MGEO_JOBS:-$(nproc)}" "${targets[@]}"
echo "fuzz: built in $((SECONDS - start)) s"
if ((${#names[@]} == 0)); then
  for bin in "$build"/fuzz/*_fuzz; do names+=("$(basename "$bin" _fuzz)"); done
fi

# libFuzzer flags of one harness beyond the common ones.
flags_of() {
  case $1 in
    # libtorch leaks on each corrupt zip (lsan.supp), and a leak check after each such input
    # would cut the rate from ~4,500 to ~40 inputs/s. unpickler_fuzz checks leaks of the pickle.
    torch_bin) echo -detect_leaks=0 ;;
  esac
}

# Runs harness $1 into $out/$1 (corpus/, tmp/, log, findings as crash-*, leak-*, timeout-*,
# oom-*); its exit status is libFuzzer's. The stack is cut to $stack_kb so that recursion
# growing with the input overflows at sizes within -max_len.
run_one() {
  local name=$1 dir=$out/$1 flags
  read -ra flags <<<"$(flags_of "$name")"
  ulimit -s "$stack_kb"
  rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/tmp"
  [[ -d "$root/tests/fuzz/corpus/$name" ]] && cp -R "$root/tests/fuzz/corpus/$name/." "$dir/corpus/"
  TMPDIR=$dir/tmp UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0 \
    timeout $((seconds + 300)) "$build/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$dir/" \
    "${flags[@]}" "$dir/corpus" >"$dir/log" 2>&1
}

# One line per harness: runs, exec/s, coverage, and the finding if any.
report() {
  local name=$1 rc=$2 dir=$out/$1 finding
  local runs speed cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$dir/log" | tail -1)
  finding=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | head -1)
  if [[ $rc == 0 && -z "$finding" ]]; then
    printf 'fuzz: %-12s ok    runs %-9s exec/s %-6s %s\n' "$name" "${runs:-?}" "${speed:-?}" "${cov:-}"
    return 0
  fi
  printf 'fuzz: %-12s FAIL  exit %s, log %s\n' "$name" "$rc" "$dir/log"
  tail -n 60 "$dir/log" | sed 's/^/    /'
  if [[ -n "$finding" ]]; then
    echo "fuzz: $name: input $finding"
    echo "fuzz: reproduce: (ulimit -s $stack_kb; LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp" \
      "$build/fuzz/${name}_fuzz $finding)"
  fi
  return 1
}

rm -rf "$out" && mkdir -p "$out"
echo "fuzz: ${#names[@]} harness(es), ${seconds} s each, ${jobs} at a time; output in $out"
for name in "${names[@]}"; do
  [[ -x "$build/fuzz/${name}_fuzz" ]] || { echo "fuzz: no harness $build/fuzz/${name}_fuzz"; exit 2; }
  { rc=0; run_one "$name" || rc=$?; echo "$rc" >"$out/$name.rc"; } &
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
done
wait
failed=0
for name in "${names[@]}"; do report "$name" "$(cat "$out/$name.rc")" || failed=1; done
echo "fuzz: done in $((SECONDS - start)) s"
exit "$failed"
