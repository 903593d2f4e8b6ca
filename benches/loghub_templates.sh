#!/usr/bin/env bash
# Template accuracy of the real binary on LogHub, scored by the shared evaluator.
#
#   bash benches/loghub_templates.sh            # the 16 loghub2k sets
#
# For each set, `logsift templates --assign --multiline none` runs on the raw
# `*_2k.log` (the tool finds each header by itself; LogHub labels every line, hence
# --multiline none) and `../shared/tools/loghub_eval.py` scores its JSON lines against
# the corrected ground truth (Grouping Accuracy, Parsing Accuracy, ...). Then the two
# held-out Loghub-2.0 full sets (Linux, Proxifier), scored against their own truth.
# Needs ../shared (the corpora and the evaluator); prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${LOGSIFT_SHARED:-../shared}
ROOT=$SHARED/corpora/loghub2k
EVAL=$SHARED/tools/loghub_eval.py
if [ ! -d "$ROOT" ] || [ ! -f "$EVAL" ]; then
    echo "loghub_templates.sh: no LogHub corpus or evaluator under $SHARED" >&2
    exit 2
fi
cargo build --release --bin logsift >&2
L=${CARGO_TARGET_DIR:-target}/release/logsift
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for d in "$ROOT"/*/; do
    name=$(basename "$d")
    "$L" templates --assign --multiline none "$d/${name}_2k.log" > "$OUT/$name.jsonl"
done
python3 "$EVAL" all "$OUT/{dataset}.jsonl" --data-root "$ROOT" --gt-variant corrected
LARGE=$SHARED/corpora/loghub-large/loghub-2.0-full
if [ -d "$LARGE" ]; then
    echo
    echo "Held out (Loghub-2.0 full):"
    for name in Linux Proxifier; do
        [ -f "$LARGE/$name/${name}_full.log" ] || continue
        "$L" templates --assign --multiline none "$LARGE/$name/${name}_full.log" > "$OUT/$name-full.jsonl"
        printf '%s: ' "$name"
        python3 "$EVAL" "$LARGE/$name/${name}_full.log_structured.csv" "$OUT/$name-full.jsonl" | grep -E 'GA|PA' | tr '\n' ' '
        echo
    done
fi
