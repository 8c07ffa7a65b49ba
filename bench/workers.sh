#!/usr/bin/env bash
# Scale-out benchmark: the ingest of the shared corpus's JPEGs with remote partitioning, first one worker
# JVM with the whole stack (the manager with its PostgreSQL, S3 and Artemis, the worker, clamd) held to
# one core by taskset, then two workers with the whole stack on two cores. Same files, same settings
# (16 partitions, clamd's cache off; clamd's StreamMaxLength at 100 MB, the largest image the ingest takes
# (media.ingest.limits.max-image-bytes), which sets what the ingest's clamd check streams before each job), in the same run. Prints both lines of figures, the ratio (the target
# is 1.8x or more), and where each run's time went: steps, partitions and their workers, CPU seconds.
#   bench/workers.sh [FOLDER]      default: the shared corpus's jpeg/ folder
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${MEDIA_SHARED:-$repo/../shared}
corpus=${MEDIA_CORPUS:-$HOME/.cache/media-pipeline/corpus}
"$shared/corpus/fetch-corpus.sh" "$corpus" >/dev/null
folder=${1:-$corpus/jpeg}

cd "$repo"
source <(sed -n '/^die()/p;/^java_major()/p;/^select_jdk()/,/^}/p' media)
select_jdk
[ -f src/target/media-pipeline.jar ] || ./mvnw -B -q -ntp -DskipTests install
[ "$(nproc)" -ge 2 ] || die "the scale-out benchmark needs two cores (this machine has $(nproc))"
command -v taskset >/dev/null || die "taskset (util-linux) is missing"

run=$(mktemp -d "${TMPDIR:-/tmp}/media-bench-workers-XXXXXX")
trap 'for d in "$run"/clamd-*; do scripts/clamd stop --dir "$d" >/dev/null 2>&1 || true; done; rm -rf "$run"' EXIT
echo "images: $(find "$folder" -maxdepth 1 -type f | wc -l) files from $folder"

declare -A rate
for n in 1 2; do
  if [ "$n" = 1 ]; then cpus=0; else cpus=0,1; fi
  port=$((${MEDIA_BENCH_CLAMD_PORT:-3320} + n))
  taskset -c "$cpus" scripts/clamd start --port "$port" --dir "$run/clamd-$n" --no-cache --stream-max 100M >/dev/null
  mkdir -p "$run/home-$n/bench-logs"
  out=$(MEDIA_HOME=$run/home-$n taskset -c "$cpus" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${MEDIA_JAVA_OPTS:-} \
    -jar src/target/media-pipeline.jar bench-workers "$folder" --workers "$n" --media.clamd.port="$port" \
    --media.clamd.stream-max-length=100MB --media.workers.mode=remote --media.broker.port=0 --media.broker.persistent=false \
    --media.ingest.grid-size=16 --media.bench.warm-up="$corpus/png,$corpus/png-alpha,$corpus/gif" \
    --media.bench.clamd-pid-file="$run/clamd-$n/clamd.pid" --media.bench.track-statements=true \
    --media.bench.jar=src/target/media-pipeline.jar)
  scripts/clamd stop --dir "$run/clamd-$n" >/dev/null
  echo
  echo "$n worker(s), the whole stack on cpu(s) $cpus:"
  echo "$out"
  rate[$n]=$(echo "$out" | grep '^images=' | tr ' ' '\n' | awk -F= '$1=="images_per_s"{print $2}')
  parts[$n]=$(echo "$out" | grep '^images=' | tr ' ' '\n' | awk -F= '$1=="partitions_images_per_s"{print $2}')
done
echo
awk -v a="${rate[1]}" -v b="${rate[2]}" -v c="${parts[1]}" -v d="${parts[2]}" 'BEGIN {
  printf "two workers on two cores / one on one, the whole job:         %.2fx (images/s %s -> %s; target 1.8x)\n", b / a, a, b
  printf "                                    the partitioned step only: %.2fx (images/s %s -> %s)\n", d / c, c, d }'
