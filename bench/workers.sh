#!/usr/bin/env bash
# Scale-out benchmark: the ingest of the shared corpus's JPEGs with remote partitioning, first one worker
# JVM with the whole stack (the manager with its PostgreSQL, S3 and Artemis, the worker, clamd) held to
# one core by taskset, then two workers with the whole stack on two cores. Same files, same settings
# (16 partitions, clamd's cache off; clamd's StreamMaxLength at 100 MB, the largest image the ingest takes
# (media.ingest.limits.max-image-bytes), which sets what the ingest's clamd check streams before each job), in the same run. Prints both lines of figures, the ratio (the target
# is 1.8x or more), and where each run's time went: steps, partitions and their workers, CPU seconds, and
# the whole stack's costs per item (CPU by process, S3 requests, PostgreSQL statements and bytes), which
# docs/capacity.md scales. The host's speed drifts run to run (a shared VM), so the pair is run in rounds
# (MEDIA_BENCH_ROUNDS, 3) and the median ratio printed, beside the peer's own scaling on the same machine
# in the same rounds (sharp at its best, ../shared/bench/sharp-best.mjs, on one core then two): the
# ceiling image work reaches here. Each worker JVM is sized for its core (-XX:ActiveProcessorCount=1).
#   bench/workers.sh [FOLDER]      default: the shared corpus's jpeg/ folder
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup "${1:-}"
[ "$(nproc)" -ge 2 ] || die "the scale-out benchmark needs two cores (this machine has $(nproc))"
command -v taskset >/dev/null || die "taskset (util-linux) is missing"

run=$(mktemp -d "${TMPDIR:-/tmp}/media-bench-workers-XXXXXX")
trap 'for d in "$run"/clamd-*; do scripts/clamd stop --dir "$d" >/dev/null 2>&1 || true; done; rm -rf "$run"' EXIT
# the ceiling of this machine for image work: the peer (sharp at its best) on one core, then on two
here=$repo/bench/images
[ -d "$here/node_modules/sharp" ] || npm ci --no-audit --no-fund --prefix "$here" >/dev/null
cp "$shared/bench/sharp-best.mjs" "$here/.sharp-best.mjs"
rounds=${MEDIA_BENCH_ROUNDS:-3}
echo "images: $(find "$folder" -maxdepth 1 -type f | wc -l) files from $folder; $rounds rounds, each: one worker on one core, two on two, the peer on one and two"

field() { echo "$1" | grep '^images=' | tr ' ' '\n' | awk -F= -v k="$2" '$1==k{print $2}'; }
ours() { # ours N ROUND: the ingest over N worker JVMs, the whole stack on N cores
  local n=$1 r=$2 cpus=0 port
  [ "$n" = 2 ] && cpus=0,1
  port=$((${MEDIA_BENCH_CLAMD_PORT:-3320} + n))
  taskset -c "$cpus" scripts/clamd start --port "$port" --dir "$run/clamd-$n-$r" --no-cache --stream-max 100M >/dev/null
  mkdir -p "$run/home-$n-$r/bench-logs"
  MEDIA_HOME=$run/home-$n-$r taskset -c "$cpus" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${MEDIA_JAVA_OPTS:-} \
    -jar src/target/media-pipeline.jar bench-workers "$folder" --workers "$n" --media.clamd.port="$port" \
    --media.clamd.stream-max-length=100MB --media.workers.mode=remote --media.broker.port=0 --media.broker.persistent=false \
    --media.ingest.grid-size=16 --media.bench.warm-up="$corpus/png,$corpus/png-alpha,$corpus/gif" \
    --media.bench.clamd-pid-file="$run/clamd-$n-$r/clamd.pid" --media.bench.track-statements=true \
    --media.bench.worker-jvm-options="-XX:ActiveProcessorCount=1" \
    --media.bench.jar=src/target/media-pipeline.jar | grep -v '^  staged '
  scripts/clamd stop --dir "$run/clamd-$n-$r" >/dev/null
}
peer() { # peer N: sharp at its best on N cores, N images in flight
  local cpus=0
  [ "$1" = 2 ] && cpus=0,1
  (cd "$here" && UV_THREADPOOL_SIZE=$1 taskset -c "$cpus" node .sharp-best.mjs "$folder" "$run/sharp-$1" "$1" | grep '^images=')
}

ratios=() ceilings=()
for r in $(seq 1 "$rounds"); do
  one=$(ours 1 "$r"); two=$(ours 2 "$r"); p1=$(peer 1); p2=$(peer 2)
  if [ "$r" = "$rounds" ]; then
    echo; echo "round $r, one worker, the whole stack on cpu 0:"; echo "$one"
    echo; echo "round $r, two workers, the whole stack on cpus 0,1:"; echo "$two"
    echo
  fi
  a=$(field "$one" images_per_s) b=$(field "$two" images_per_s) c=$(field "$p1" images_per_s) d=$(field "$p2" images_per_s)
  [ -n "$a" ] && [ -n "$b" ] || { echo "round $r: a run did not complete"; echo "$one"; echo "$two"; exit 1; }
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
  ceiling=$(awk -v c="$c" -v d="$d" 'BEGIN { printf "%.2f", d / c }')
  ratios+=("$ratio") ceilings+=("$ceiling")
  printf 'round %d: ours %s -> %s images/s (%sx); sharp at its best %s -> %s images/s (%sx)\n' "$r" "$a" "$b" "$ratio" "$c" "$d" "$ceiling"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m=$(median "${ratios[@]}") mc=$(median "${ceilings[@]}")
echo
awk -v m="$m" -v mc="$mc" -v n="$rounds" 'BEGIN {
  printf "two workers on two cores / one on one, the whole job, median of %d rounds: %.2fx (target 1.8x)\n", n, m
  printf "the same machine'"'"'s scaling of image work alone (sharp at its best, 1 -> 2 cores):  %.2fx; ours is %.0f%% of it\n", mc, 100 * m / mc }'
