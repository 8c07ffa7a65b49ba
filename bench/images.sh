#!/usr/bin/env bash
# Image benchmark: our whole ingest job against the reference peer, sharp (libvips), on the same
# files in the same run. Same widths (320, 640, 1280, 2048, never upscaled), JPEG and WebP at
# quality 80, two images in flight (our 2 partitions on 2 threads, sharp's concurrency 2). Ours includes staging
# read-back, clamd scanning (its cache off), S3 writes and PostgreSQL rows; sharp only encodes files.
#   bench/images.sh [FOLDER]      default: the shared corpus's jpeg/ folder
# Prints both lines of figures, then the ratio of throughputs and our peak heap.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup "${1:-}"
here=$repo/bench/images

# the peer, from the npm registry, in this folder; its script runs from here so that it finds sharp
[ -d "$here/node_modules/sharp" ] || npm ci --no-audit --no-fund --prefix "$here" >/dev/null
run=$(mktemp -d "${TMPDIR:-/tmp}/media-bench-XXXXXX")
trap 'scripts/clamd stop --dir "$run/clamd" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
cp "$shared/bench/sharp-baseline.mjs" "$here/.sharp-baseline.mjs"

port=${MEDIA_BENCH_CLAMD_PORT:-3319}
scripts/clamd start --port "$port" --dir "$run/clamd" --no-cache >/dev/null

echo "images: $(find "$folder" -maxdepth 1 -type f | wc -l) files from $folder"
ours=$(MEDIA_HOME=$run/home "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${MEDIA_JAVA_OPTS:-} \
  -jar src/target/media-pipeline.jar bench-ingest "$folder" --media.clamd.port="$port" --media.ingest.threads=2 --media.ingest.grid-size=2 \
  | grep '^images=')
peer=$(cd "$here" && node .sharp-baseline.mjs "$folder" "$run/sharp-out" 320,640,1280,2048 2 | grep '^images=')

field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k{print $2}'; }
printf '%-22s %s\n' "media-pipeline job:" "$ours" "sharp (libvips):" "$peer"
awk -v a="$(field "$ours" images_per_s)" -v b="$(field "$peer" images_per_s)" \
    -v c="$(field "$ours" mp_per_s)" -v d="$(field "$peer" mp_per_s)" \
  'BEGIN { printf "ratio (ours / sharp):  images/s %.2fx, MP/s %.2fx\n", a / b, c / d }'
echo "peak heap of our job:  $(field "$ours" peak_heap_mb) MB"
