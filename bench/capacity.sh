#!/usr/bin/env bash
# The per-item costs docs/capacity.md scales, measured on this machine: the ingest over one worker JVM
# (remote partitioning, the whole stack of the embedded defaults: manager with S3Proxy, Artemis and
# PostgreSQL; clamd) of
#   1. the shared corpus's JPEGs (the default profile: JPEG + WebP at four widths),
#   2. two minutes of 1080p30 H.264/AAC video (two 60 s clips made once by ffmpeg from its test
#      sources, kept in the cache), packaged as they are (passthrough, the default),
#   3. the same two clips with the ABR ladder 1080/720/360 (media.video.ladder).
# Each prints CPU seconds per item by process, S3 requests by operation, PostgreSQL statements,
# transactions, WAL and database growth per item (and per minute of video), and the statements most
# called. An untimed warm-up (the corpus's PNGs and GIFs) runs first on the same worker.
#   bench/capacity.sh [images] [video] [ladder]     default: all three
set -euo pipefail
command -v ffmpeg >/dev/null || { echo "bench/capacity.sh needs ffmpeg (apt-get install ffmpeg)" >&2; exit 1; }
cache=${MEDIA_BENCH_CACHE:-$HOME/.cache/media-pipeline/bench-capacity}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup

mkdir -p "$cache/video"
for i in 1 2; do
  clip=$cache/video/testsrc-1080p-60s-$i.mp4
  if [ ! -s "$clip" ]; then
    echo "making $clip (60 s of 1080p30 H.264/AAC from ffmpeg's test sources; once)" >&2
    # clip 2 starts later in the test pattern, so the two are different files
    ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30" \
      -f lavfi -i "sine=frequency=$((330 + 110 * i)):sample_rate=48000" -ss $((60 * (i - 1))) -t 60 -c:v libx264 -preset ultrafast \
      -pix_fmt yuv420p -b:v 7M -maxrate 7M -bufsize 14M -g 60 -c:a aac -b:a 128k -movflags +faststart -f mp4 "$clip.part"
    mv "$clip.part" "$clip"
  fi
done

run=$(mktemp -d "${TMPDIR:-/tmp}/media-bench-capacity-XXXXXX")
trap 'scripts/clamd stop --dir "$run/clamd" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
port=${MEDIA_BENCH_CLAMD_PORT:-3325}
scripts/clamd start --port "$port" --dir "$run/clamd" --no-cache --stream-max 100M >/dev/null

measure() { # measure NAME FOLDER [--property=value ...]
  local name=$1 folder=$2
  shift 2
  mkdir -p "$run/$name/bench-logs"
  echo
  echo "== $name: $(find "$folder" -maxdepth 1 -type f | wc -l) files from $folder, one worker, $(nproc) cores"
  MEDIA_HOME=$run/$name "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${MEDIA_JAVA_OPTS:-} \
    -jar src/target/media-pipeline.jar bench-workers "$folder" --workers 1 --media.clamd.port="$port" \
    --media.clamd.stream-max-length=100MB --media.workers.mode=remote --media.broker.port=0 --media.broker.persistent=false \
    --media.ingest.grid-size=16 --media.bench.warm-up="$corpus/png,$corpus/png-alpha,$corpus/gif" \
    --media.bench.clamd-pid-file="$run/clamd/clamd.pid" --media.bench.track-statements=true \
    --media.bench.jar=src/target/media-pipeline.jar "$@" | grep -v '^  staged \|ingestPartition:'
}
what=" ${*:-images video ladder} "
[[ $what == *" images "* ]] && measure images "$corpus/jpeg"
[[ $what == *" video "* ]] && measure video-passthrough "$cache/video"
# the workers encode: the ladder is their setting (and the manager's, which runs none)
[[ $what == *" ladder "* ]] && measure video-ladder "$cache/video" --media.video.ladder=1080,720,360 \
  --media.bench.worker-args=--media.video.ladder=1080,720,360
true
