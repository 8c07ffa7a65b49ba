# Sourced by each bench/*.sh after `set -euo pipefail`: sets repo, shared (../shared, or MEDIA_SHARED)
# and corpus (fetched into MEDIA_CORPUS, or the cache, when missing); with a FOLDER argument given to
# `bench_setup`, folder as an absolute path (default: the corpus's jpeg/). Then works from the
# repository with the JDK ./media selects, the application built once.
bench_setup() {
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  shared=${MEDIA_SHARED:-$repo/../shared}
  corpus=${MEDIA_CORPUS:-$HOME/.cache/media-pipeline/corpus}
  "$shared/corpus/fetch-corpus.sh" "$corpus" >/dev/null
  folder=$(realpath "${1:-$corpus/jpeg}")
  cd "$repo"
  source <(sed -n '/^die()/p;/^java_major()/p;/^select_jdk()/,/^}/p' media)
  select_jdk
  [ -f src/target/media-pipeline.jar ] || ./mvnw -B -q -ntp -DskipTests install
}
