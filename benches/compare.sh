#!/usr/bin/env bash
# benches/compare.sh - end-to-end, side-by-side benchmarks of logsift against the
# tools people use today, on large generated log files (examples/gen.rs, seed 1).
#
# Groups (wall-clock, hyperfine, page cache warm, output piped so that GNU grep
# cannot take its /dev/null shortcut):
#   grep (vs ripgrep and GNU grep, on the plain log):
#     1-literal            -c ERROR
#     2-regex              -c 'timed out after [0-9]+ ?ms'
#     3-case-insensitive   -c -i error
#     4-print              ERROR (every matching line written to a pipe)
#     5-gzip               -c ERROR on the .gz file (logsift, rg -z, zcat | grep)
#     8-memory-grep        peak heap and max RSS of `logsift grep -c ERROR` (file, stdin, gzip)
#   count (vs gawk, DuckDB and angle-grinder):
#     6-count-plain        count by level on the plain log
#     7-count-json         count by level on the JSON-lines log (gen --format json)
#     9-memory-count       peak heap and max RSS of `logsift count --by level`
# The grep groups run logsift with `--multiline none` (records = lines, exactly
# what grep and rg do) and with its default `--multiline auto` (stack traces
# joined to their record), so the price of record awareness is visible; they
# report GB/s and the ratio to ripgrep's mean (< 1: faster than rg), after
# checking that logsift's counts agree with rg's (a loud MISMATCH line when not).
# The count groups time `logsift count --by level` and `--by level --every 1m`
# in ONE hyperfine run with gawk and DuckDB (angle-grinder, much slower, gets its
# own hyperfine call with AG_RUNS runs and no warmup, merged into the same
# table and marked so); they report GB/s, the speedup over gawk and over DuckDB,
# the targets of the parsers issue next to the results, and every tool's answer
# (computed once, outside the timing) side by side with logsift's.
#
# Usage, from the repo root:
#   bash benches/compare.sh                              # everything: 1 GiB files, 5 runs
#   SIZE=64MiB RUNS=2 bash benches/compare.sh            # quick run
#   BENCH_GROUPS=count bash benches/compare.sh           # only the count groups
#   bash benches/compare.sh count 1-literal              # the same, as arguments
# Selecting groups: a list (spaces or commas) of group ids (`6-count-plain`),
# their numbers (`6`), or the families `grep`, `count`, `memory`; `all` is the
# default. It is read from the arguments, else BENCH_GROUPS, else GROUPS from the
# environment. Beware: bash itself drops a `GROUPS=...` prefix assignment (GROUPS
# is a bash special variable), so from a bash prompt write
# `env GROUPS=count bash benches/compare.sh` or use BENCH_GROUPS.
# Environment:
#   SIZE               size of each generated log (default 1GiB)
#   RUNS               hyperfine runs per command (default 5; warmup 1)
#   AG                 0 = leave angle-grinder out (default 1)
#   AG_RUNS            hyperfine runs for angle-grinder (default 1, no warmup)
#   LOGSIFT_BENCH_DIR  data and results (default /tmp/logsift-bench);
#                      results: compare.md, one *.hyperfine.json per group,
#                      answers/ (every tool's raw answer in the count groups)
#   BENCH_LOCALE       LC_ALL for every tool (default C.UTF-8)
# It installs what the chosen groups need and is missing: hyperfine, gawk, GNU
# time, python3, gzip (apt-get), ripgrep (cargo install ripgrep), DuckDB's Python
# package (pip install duckdb), angle-grinder (cargo install ag; it takes a few
# minutes to build). The data is regenerated only when SIZE or the generator changes.
set -euo pipefail

# The selection, read before anything can clobber the environment.
SEL="${*:-${BENCH_GROUPS:-$(printenv GROUPS 2>/dev/null || true)}}"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD

SIZE=${SIZE:-1GiB}
RUNS=${RUNS:-5}
AG=${AG:-1}
AG_RUNS=${AG_RUNS:-1}
DIR=${LOGSIFT_BENCH_DIR:-/tmp/logsift-bench}
export LC_ALL=${BENCH_LOCALE:-C.UTF-8}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}

log() { printf '==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------
# Which groups.
ALL_GROUPS="1-literal 2-regex 3-case-insensitive 4-print 5-gzip 6-count-plain 7-count-json 8-memory-grep 9-memory-count 10-report 11-templates 12-memory-report"
family() { # the families a group belongs to
    case $1 in
        1-* | 2-* | 3-* | 4-* | 5-*) echo grep ;;
        6-* | 7-*) echo count ;;
        8-*) echo "grep memory" ;;
        9-*) echo "count memory" ;;
        10-* | 11-*) echo report ;;
        12-*) echo "report memory" ;;
    esac
}
SEL=$(printf '%s' "${SEL:-all}" | tr ',' ' ')
for t in $SEL; do
    ok=0
    for g in all grep count report memory $ALL_GROUPS; do
        if [ "$t" = "$g" ] || [ "$t" = "${g%%-*}" ]; then ok=1; fi
    done
    if [ $ok = 0 ]; then
        echo "compare.sh: unknown group '$t'; choose from: all grep count report memory $ALL_GROUPS (or their numbers)" >&2
        exit 2
    fi
done
want() { # want GROUP-ID: is the group selected
    local t f
    for t in $SEL; do
        if [ "$t" = all ] || [ "$t" = "$1" ] || [ "$t" = "${1%%-*}" ]; then return 0; fi
        for f in $(family "$1"); do
            if [ "$t" = "$f" ]; then return 0; fi
        done
    done
    return 1
}
any_of() { local g; for g in "$@"; do if want "$g"; then return 0; fi; done; return 1; }
NEED_GREP=0 NEED_GZ=0 NEED_COUNT=0 NEED_JSON=0 NEED_HEAP=0
if any_of 1-literal 2-regex 3-case-insensitive 4-print 5-gzip 8-memory-grep; then NEED_GREP=1; fi
if any_of 5-gzip 8-memory-grep; then NEED_GZ=1; fi
if any_of 6-count-plain 7-count-json; then NEED_COUNT=1; fi
if any_of 7-count-json 9-memory-count 10-report; then NEED_JSON=1; fi
NEED_DRAIN=0
if any_of 11-templates; then NEED_DRAIN=1; fi
if any_of 8-memory-grep 9-memory-count 12-memory-report; then NEED_HEAP=1; fi
SELECTED=$(for g in $ALL_GROUPS; do if want "$g"; then printf '%s ' "$g"; fi; done)
log "groups: $SELECTED"

# ---------------------------------------------------------------------------
# Tools.
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
apt_missing=()
command -v hyperfine >/dev/null 2>&1 || apt_missing+=(hyperfine)
command -v gawk >/dev/null 2>&1 || apt_missing+=(gawk)
[ -x /usr/bin/time ] || apt_missing+=(time)
command -v python3 >/dev/null 2>&1 || apt_missing+=(python3 python3-pip)
command -v gzip >/dev/null 2>&1 || apt_missing+=(gzip)
if [ ${#apt_missing[@]} -gt 0 ]; then
    log "installing ${apt_missing[*]} (apt-get)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >&2
fi
if [ $NEED_GREP = 1 ] && ! command -v rg >/dev/null 2>&1; then
    log "installing ripgrep (cargo install ripgrep)"
    cargo install --locked ripgrep >&2
fi
HAVE_DUCKDB=0 HAVE_AG=0
if [ $NEED_COUNT = 1 ]; then
    if ! python3 -c 'import duckdb' >/dev/null 2>&1; then
        log "installing DuckDB's Python package (pip install duckdb)"
        python3 -m pip install --quiet duckdb >&2 ||
            python3 -m pip install --quiet --user --break-system-packages duckdb >&2 || true
    fi
    if python3 -c 'import duckdb' >/dev/null 2>&1; then HAVE_DUCKDB=1; else log "DuckDB unavailable: left out"; fi
    if [ "$AG" != 0 ]; then
        if ! command -v agrind >/dev/null 2>&1; then
            log "installing angle-grinder (cargo install ag; a few minutes)"
            cargo install --locked ag >&2 || true
        fi
        if command -v agrind >/dev/null 2>&1; then HAVE_AG=1; else log "angle-grinder unavailable: left out"; fi
    fi
fi

HAVE_DRAIN=0
if [ $NEED_DRAIN = 1 ]; then
    if ! python3 -c 'import drain3' >/dev/null 2>&1; then
        log "installing drain3 (pip install drain3)"
        python3 -m pip install --quiet drain3 >&2 ||
            python3 -m pip install --quiet --user --break-system-packages drain3 >&2 || true
    fi
    if python3 -c 'import drain3' >/dev/null 2>&1; then HAVE_DRAIN=1; else log "drain3 unavailable: left out"; fi
fi

# ---------------------------------------------------------------------------
# Build.
log "building logsift (release) and examples/gen"
cargo build --release --bin logsift >&2
cargo build --release --example gen >&2
LOGSIFT=$TARGET_DIR/release/logsift
GEN=$TARGET_DIR/release/examples/gen

# ---------------------------------------------------------------------------
# Data.
mkdir -p "$DIR" "$DIR/answers"
if [ "$SIZE" = "1GiB" ]; then SUFFIX=1g; else SUFFIX=$(printf '%s' "$SIZE" | tr '[:upper:]' '[:lower:]'); fi
GEN_HASH=$(sha256sum examples/gen.rs | cut -c1-16)
# gen_file FORMAT PATH: (re)generate PATH unless it was made with these parameters
gen_file() {
    local fmt=$1 f=$2
    local params="size=$SIZE seed=1 format=$fmt gen=$GEN_HASH"
    if [ ! -s "$f" ] || [ "$(cat "$f.params" 2>/dev/null)" != "$params" ]; then
        log "generating $f ($fmt, $SIZE, seed 1)"
        rm -f "$f" "$f.params"
        "$GEN" --format "$fmt" --size "$SIZE" --seed 1 --out "$f.tmp"
        mv "$f.tmp" "$f"
        printf '%s\n' "$params" > "$f.params"
    fi
}
NAME=plain-$SUFFIX
F=$DIR/$NAME.log
GZ=$F.gz
JNAME=json-$SUFFIX
J=$DIR/$JNAME.log
# gzip level used for the .gz input (gzip's default)
GZIP_LEVEL=6
gen_file plain "$F"
if [ $NEED_GZ = 1 ] && { [ ! -s "$GZ" ] || [ "$F" -nt "$GZ" ]; }; then
    log "compressing $GZ (gzip -$GZIP_LEVEL)"
    gzip -"$GZIP_LEVEL" -n -c "$F" > "$GZ.tmp"
    mv "$GZ.tmp" "$GZ"
fi
if [ $NEED_JSON = 1 ]; then gen_file json "$J"; fi
BYTES=$(stat -c %s "$F")
log "warming the page cache"
cat "$F" > /dev/null
if [ $NEED_GZ = 1 ]; then GZBYTES=$(stat -c %s "$GZ"); cat "$GZ" > /dev/null; fi
if [ $NEED_JSON = 1 ]; then JBYTES=$(stat -c %s "$J"); cat "$J" > /dev/null; fi

MD=$DIR/compare.md
: > "$MD"
md() { printf '%s\n' "$@" | tee -a "$MD"; }
q() { printf '%q' "$1"; }
mib() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1048576}'; }
qF=$(q "$F")
qGZ=$(q "$GZ")
qL=$(q "$LOGSIFT")

# ---------------------------------------------------------------------------
# Header.
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
md "# logsift benchmarks: vs ripgrep, GNU grep, gawk, DuckDB, angle-grinder" ""
md "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); machine: $(nproc) cores, ${cpu:-unknown cpu}, $(free -g | awk '/^Mem:/{print $2}') GiB RAM"
md "- groups: $SELECTED"
md "- F: \`$NAME.log\`, $BYTES bytes ($(mib "$BYTES") MiB, examples/gen.rs --format plain --size $SIZE --seed 1)"
if [ $NEED_GZ = 1 ]; then md "- F.gz: \`$NAME.log.gz\`, $GZBYTES bytes (gzip -$GZIP_LEVEL)"; fi
if [ $NEED_JSON = 1 ]; then md "- J: \`$JNAME.log\`, $JBYTES bytes ($(mib "$JBYTES") MiB, examples/gen.rs --format json --size $SIZE --seed 1; JSON lines, keys vary by service, a few garbage lines)"; fi
versions="logsift: $("$LOGSIFT" --version 2>/dev/null | head -1 || echo unknown); $(hyperfine --version)"
if [ $NEED_GREP = 1 ]; then versions+="; $(rg --version | head -1); $(grep --version | head -1)"; fi
if [ $NEED_COUNT = 1 ]; then
    versions+="; $(gawk --version | head -1 | cut -d, -f1)"
    if [ $HAVE_DUCKDB = 1 ]; then versions+="; DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)') (Python package)"; fi
    if [ $HAVE_AG = 1 ]; then versions+="; angle-grinder $(agrind --version 2>/dev/null | awk '{print $2}')"; fi
fi
md "- $versions"
md "- hyperfine --output=pipe --warmup 1 --runs $RUNS; LC_ALL=$LC_ALL; page cache warm"
md "- GB/s = uncompressed log bytes / mean"
md ""

# ---------------------------------------------------------------------------
# grep: agreement checks.
count() { "$@" 2>/dev/null || true; }
check() { # check WHAT EXPECTED GOT
    if [ "$2" = "$3" ]; then
        md "- ok: $1: $3"
    else
        md "- **MISMATCH**: $1: rg says '$2', logsift says '$3'"
        printf '!!!!!!!! MISMATCH: %s: rg=%s logsift=%s\n' "$1" "$2" "$3" >&2
    fi
}
if any_of 1-literal 2-regex 3-case-insensitive 4-print 5-gzip; then
    log "checking that logsift agrees with rg"
    md "## grep: agreement checks" ""
    rg_lit=$(count rg -c ERROR "$F")
    check "-c --multiline none ERROR" "$rg_lit" "$(count "$LOGSIFT" grep -c --multiline none ERROR "$F")"
    rg_re=$(count rg -c 'timed out after [0-9]+ ?ms' "$F")
    check "-c --multiline none regex" "$rg_re" "$(count "$LOGSIFT" grep -c --multiline none 'timed out after [0-9]+ ?ms' "$F")"
    rg_i=$(count rg -c -i error "$F")
    check "-c --multiline none -i error" "$rg_i" "$(count "$LOGSIFT" grep -c --multiline none -i error "$F")"
    if want 5-gzip; then
        check "-c ERROR on .gz (vs rg -z)" "$(count rg -z -c ERROR "$GZ")" "$(count "$LOGSIFT" grep -c ERROR "$GZ")"
    fi
    md "- for reference: grep -c ERROR = $(count grep -c ERROR "$F"); logsift grep -c ERROR (multiline auto, records) = $(count "$LOGSIFT" grep -c ERROR "$F")"
    md "- lines printed by the printing group (GNU grep stops printing at the first match after a NUL byte, with \"binary file matches\"):" \
        "  logsift --multiline none: $(count "$LOGSIFT" grep --multiline none ERROR "$F" | wc -l), logsift: $(count "$LOGSIFT" grep ERROR "$F" | wc -l), rg: $(count rg ERROR "$F" | wc -l), grep: $(count grep ERROR "$F" | wc -l)"
    md ""
fi

# ---------------------------------------------------------------------------
# grep: timing groups.
# shellcheck disable=SC2016  # python source, no shell expansion wanted
TABLE_PY='
import json, sys
path, nbytes, rgname = sys.argv[1], int(sys.argv[2]), sys.argv[3]
results = json.load(open(path))["results"]
rg = next((r["mean"] for r in results if r["command"] == rgname), None)
print("| command | mean ± σ (s) | GB/s | vs rg |")
print("|---|---:|---:|---:|")
for r in results:
    ratio = "%.2f" % (r["mean"] / rg) if rg else "n/a"
    sd = r.get("stddev") or 0.0
    name = r["command"].replace("|", "\\|")  # a pipe would end the table cell
    print("| `%s` | %.3f ± %.3f | %.2f | %s |" % (name, r["mean"], sd, nbytes / r["mean"] / 1e9, ratio))
'

# run_group ID TITLE RG_LABEL [LABEL COMMAND]...
run_group() {
    local id=$1 title=$2 rglabel=$3
    shift 3
    want "$id" || return 0
    local json=$DIR/$id.hyperfine.json
    local args=()
    while [ $# -gt 0 ]; do
        args+=(--command-name "$1" "$2")
        shift 2
    done
    log "group $id: $title"
    if hyperfine --output=pipe --warmup 1 --runs "$RUNS" --export-json "$json" "${args[@]}" >&2; then
        md "## $title" ""
        md "- vs rg = mean / rg's mean (< 1: faster than rg)" ""
        md "$(python3 -c "$TABLE_PY" "$json" "$BYTES" "$rglabel")" ""
    else
        md "## $title" "" "- **FAILED**: hyperfine exited non-zero (a command failed; see the log above)" ""
    fi
}

RE='timed out after [0-9]+ ?ms'
qRE=$(q "$RE")

run_group 1-literal "1. literal count: ERROR" "rg -c ERROR F" \
    "logsift grep -c --multiline none ERROR F" "$qL grep -c --multiline none ERROR $qF" \
    "logsift grep -c ERROR F" "$qL grep -c ERROR $qF" \
    "rg -c ERROR F" "rg -c ERROR $qF" \
    "grep -c ERROR F" "grep -c ERROR $qF"

run_group 2-regex "2. regex count: $RE" "rg -c '$RE' F" \
    "logsift grep -c --multiline none '$RE' F" "$qL grep -c --multiline none $qRE $qF" \
    "logsift grep -c '$RE' F" "$qL grep -c $qRE $qF" \
    "rg -c '$RE' F" "rg -c $qRE $qF" \
    "grep -E -c '$RE' F" "grep -E -c $qRE $qF"

run_group 3-case-insensitive "3. case-insensitive count: -i error" "rg -c -i error F" \
    "logsift grep -c --multiline none -i error F" "$qL grep -c --multiline none -i error $qF" \
    "logsift grep -c -i error F" "$qL grep -c -i error $qF" \
    "rg -c -i error F" "rg -c -i error $qF" \
    "grep -c -i error F" "grep -c -i error $qF"

run_group 4-print "4. printing matches: ERROR" "rg ERROR F" \
    "logsift grep --multiline none ERROR F" "$qL grep --multiline none ERROR $qF" \
    "logsift grep ERROR F" "$qL grep ERROR $qF" \
    "rg ERROR F" "rg ERROR $qF" \
    "grep ERROR F" "grep ERROR $qF"

run_group 5-gzip "5. gzip input: -c ERROR on F.gz (gzip -$GZIP_LEVEL; GB/s counts uncompressed bytes)" "rg -z -c ERROR F.gz" \
    "logsift grep -c ERROR F.gz" "$qL grep -c ERROR $qGZ" \
    "rg -z -c ERROR F.gz" "rg -z -c ERROR $qGZ" \
    "zcat F.gz | grep -c ERROR" "zcat $qGZ | grep -c ERROR"

# ---------------------------------------------------------------------------
# count: logsift count vs gawk, DuckDB, angle-grinder.

# The table of a count group: GB/s, speedups, notes, then the issue's targets.
# argv: main json, angle-grinder json or "", bytes, labels of logsift count,
# logsift --every, gawk, DuckDB, angle-grinder; min GB/s target; notes (JSON object label -> note)
# shellcheck disable=SC2016
COUNT_TABLE_PY='
import json, sys
main, agjson, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
l_count, l_every, l_gawk, l_duck, l_ag = sys.argv[4:9]
gbs_target = float(sys.argv[9])
notes = json.loads(sys.argv[10])
results = json.load(open(main))["results"]
for r in results:
    r["runs"] = len(r.get("times") or [])
if agjson:
    for r in json.load(open(agjson))["results"]:
        r["runs"] = len(r.get("times") or [])
        r["separate"] = True
        results.append(r)
mean = {r["command"]: r["mean"] for r in results}
def speedup(base, r):
    return "%.2f×" % (mean[base] / r["mean"]) if base in mean else "n/a"
print("| command | runs | mean ± σ (s) | GB/s | speedup vs gawk | speedup vs DuckDB | note |")
print("|---|---:|---:|---:|---:|---:|---|")
for r in results:
    sd = r.get("stddev") or 0.0
    name = r["command"].replace("|", "\\|")
    note = notes.get(r["command"], "")
    if r.get("separate"):
        note = ("separate hyperfine call: %d run(s), no warmup. " % r["runs"]) + note
    print("| `%s` | %d | %.3f ± %.3f | %.2f | %s | %s | %s |" % (name, r["runs"], r["mean"], sd,
          nbytes / r["mean"] / 1e9, speedup(l_gawk, r), speedup(l_duck, r), note.replace("|", "\\|")))
print()
print("speedup = the other tool'"'"'s mean / this mean (> 1: faster than it).")
print()
def verdict(ok):
    return "met" if ok else "**not met**"
if l_count in mean:
    c = mean[l_count]
    gbs = nbytes / c / 1e9
    print("Targets (parsers issue):")
    print()
    print("- `logsift count --by level` ≥ %g GB/s: %.2f GB/s, %s" % (gbs_target, gbs, verdict(gbs >= gbs_target)))
    if l_gawk in mean:
        s = mean[l_gawk] / c
        print("- ≥ 5× gawk on the same file: %.2f×, %s" % (s, verdict(s >= 5)))
    if l_duck in mean:
        s = mean[l_duck] / c
        print("- ≥ 2× DuckDB on the same file: %.2f×, %s" % (s, verdict(s >= 2)))
    if l_every in mean:
        s = mean[l_every] / c
        print("- `count --by level --every 1m` within 1.3× of `count --by level`: %.2f×, %s" % (s, verdict(s <= 1.3)))
    print("- exact counts: see the answers below")
'

# Every tool's answer, normalised to the seven levels, side by side.
# argv: logsift count csv, logsift --every csv, then NAME=KIND:PATH... where KIND is
# csv (logsift), kv (gawk: "key count" lines), py (DuckDB: a Python list of tuples),
# ag (angle-grinder table)
# shellcheck disable=SC2016
ANSWERS_PY='
import ast, csv, sys
LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "unknown"]
SPELL = {"trace": "trace", "trc": "trace", "verbose": "trace", "10": "trace",
         "debug": "debug", "dbg": "debug", "20": "debug",
         "info": "info", "inf": "info", "information": "info", "informational": "info", "notice": "info", "30": "info",
         "warn": "warn", "warning": "warn", "wrn": "warn", "40": "warn",
         "error": "error", "err": "error", "severe": "error", "50": "error",
         "fatal": "fatal", "crit": "fatal", "critical": "fatal", "alert": "fatal", "emerg": "fatal",
         "emergency": "fatal", "panic": "fatal", "60": "fatal",
         "unknown": "unknown"}
NOKEY = "(no level key / null)"  # "other" holds junk keys, the empty one included
def norm(k):
    if k is None:
        return NOKEY
    k = str(k).strip().strip("\"").strip()
    if k in ("None", "NULL"):
        return NOKEY
    return SPELL.get(k.lower(), "other")
def read(kind, path):
    raw = {}
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    if kind == "csv":
        rows = list(csv.reader(text.splitlines()))
        if not rows or "count" not in rows[0]:
            return None
        ki, ci = rows[0].index("level") if "level" in rows[0] else None, rows[0].index("count")
        for row in rows[1:]:
            if len(row) > ci:
                k = row[ki] if ki is not None else ""
                raw[k] = raw.get(k, 0) + int(row[ci] or 0)
    elif kind == "kv":
        for line in text.splitlines():
            k, _, n = line.rpartition(" ")
            if n.isdigit():
                raw[k] = raw.get(k, 0) + int(n)
    elif kind == "py":
        try:
            for k, n in ast.literal_eval(text.strip()):
                raw[k] = raw.get(k, 0) + n
        except (ValueError, SyntaxError):
            return None
    elif kind == "ag":
        seen_rule = False
        for line in text.splitlines():
            if line.startswith("---"):
                seen_rule = True
                continue
            parts = line.rsplit(None, 1)
            if seen_rule and len(parts) == 2 and parts[1].isdigit():
                raw[parts[0]] = raw.get(parts[0], 0) + int(parts[1])
    return raw
def fold(raw):
    out, other_keys = {}, 0
    for k, n in raw.items():
        lv = norm(k)
        out[lv] = out.get(lv, 0) + n
        if lv == "other":
            other_keys += 1
    return out, other_keys
tools, missing = [], []
for spec in sys.argv[3:]:
    name, _, rest = spec.partition("=")
    kind, _, path = rest.partition(":")
    raw = read(kind, path)
    if raw is None:
        missing.append("- %s: no answer (see %s and its .err)" % (name, path))
        continue
    tools.append((name, fold(raw)))
if not tools:
    print("\n".join(missing))
    sys.exit(0)
rows = LEVELS + [NOKEY, "other"]
print("| level | " + " | ".join(n for n, _ in tools) + " |")
print("|---|" + "---:|" * len(tools))
for lv in rows:
    if not any(f.get(lv) for _, (f, _) in tools):
        continue
    cells = []
    for _, (f, nother) in tools:
        v = f.get(lv, 0)
        cells.append("%d" % v + (" (%d distinct keys)" % nother if lv == "other" and nother else ""))
    print("| %s | %s |" % (lv, " | ".join(cells)))
print("| **total** | " + " | ".join("%d" % sum(f.values()) for _, (f, _) in tools) + " |")
print()
for m in missing:
    print(m)
base_name, (base, _) = tools[0]
for name, (f, _) in tools[1:]:
    diffs = []
    for lv in LEVELS[:6]:
        a, b = base.get(lv, 0), f.get(lv, 0)
        if abs(a - b) > max(5, 0.001 * max(a, b)):
            diffs.append("%s %d vs %d" % (lv, a, b))
    print("- %s vs %s on the six levels: %s" % (base_name, name,
          "agree within 0.1%" if not diffs else "differ: " + ", ".join(diffs)))
every = read("csv", sys.argv[2]) if sys.argv[2] else None
if every is not None:
    print("- `--every 1m`: %d records in time buckets (records without a timestamp are in none)" % sum(every.values()))
'

# (DuckDB draws its progress bar on stdout for queries over 2 s: turned off.)
PY_DUCK='import duckdb, sys; con = duckdb.connect(); con.execute("set enable_progress_bar = false"); print(con.sql(sys.argv[1]).fetchall())'
sql_str() { printf "'%s'" "${1//\'/\'\'}"; } # a SQL string literal

# run_count_group ID TITLE FILE FILE-LABEL GB/S-TARGET GAWK-PROGRAM DUCKDB-SQL AGRIND-QUERY NOTES-JSON REFERENCE-SQL
run_count_group() {
    local id=$1 title=$2 file=$3 flabel=$4 target=$5 gawkprog=$6 sql=$7 agq=$8 notes=$9 refsql=${10}
    want "$id" || return 0
    local qf bytes json=$DIR/$id.hyperfine.json agjson="" ans=$DIR/answers/$id
    qf=$(q "$file")
    bytes=$(stat -c %s "$file")
    local l_count="logsift count --by level $flabel"
    local l_every="logsift count --by level --every 1m $flabel"
    local l_gawk="gawk '$gawkprog' $flabel"
    local l_duck="DuckDB (python3 -c, query below)"
    local l_ag="agrind '$agq' --file $flabel"
    local args=(
        --command-name "$l_count" "$qL count --by level $qf"
        --command-name "$l_every" "$qL count --by level --every 1m $qf"
        --command-name "$l_gawk" "gawk $(q "$gawkprog") $qf"
    )
    if [ $HAVE_DUCKDB = 1 ]; then
        args+=(--command-name "$l_duck" "python3 -c $(q "$PY_DUCK") $(q "$sql")")
    fi
    log "group $id: $title"
    md "## $title" ""
    if hyperfine --output=pipe --warmup 1 --runs "$RUNS" --export-json "$json" "${args[@]}" >&2; then :; else
        md "- **FAILED**: hyperfine exited non-zero (a command failed; see the log above)" ""
        return 0
    fi
    if [ $HAVE_AG = 1 ]; then
        agjson=$DIR/$id.agrind.hyperfine.json
        log "group $id: angle-grinder ($AG_RUNS run(s), no warmup; its answer goes to $ans-agrind.txt)"
        if ! hyperfine --output=pipe --warmup 0 --runs "$AG_RUNS" --export-json "$agjson" \
            --command-name "$l_ag" "agrind $(q "$agq") --file $qf > $(q "$ans-agrind.txt") 2> $(q "$ans-agrind.err")" >&2; then
            md "- angle-grinder **FAILED** (see the log above)"
            agjson=""
        fi
    fi
    md "$(python3 -c "$COUNT_TABLE_PY" "$json" "$agjson" "$bytes" "$l_count" "$l_every" "$l_gawk" "$l_duck" "$l_ag" "$target" "$notes")" ""
    if [ $HAVE_DUCKDB = 1 ]; then md "DuckDB query: \`$sql\`" ""; fi

    # The answers, once each, outside the timing.
    log "group $id: answers"
    "$LOGSIFT" count --by level -o csv "$file" > "$ans-logsift.csv" 2> "$ans-logsift.err" || true
    "$LOGSIFT" count --by level --every 1m -o csv "$file" > "$ans-logsift-every.csv" 2> "$ans-logsift-every.err" || true
    gawk "$gawkprog" "$file" > "$ans-gawk.txt" 2> "$ans-gawk.err" || true
    local specs=("logsift=csv:$ans-logsift.csv" "gawk=kv:$ans-gawk.txt")
    if [ $HAVE_DUCKDB = 1 ]; then
        python3 -c "$PY_DUCK" "$sql" > "$ans-duckdb.txt" 2> "$ans-duckdb.err" || true
        specs+=("DuckDB=py:$ans-duckdb.txt")
    fi
    if [ -n "$agjson" ]; then specs+=("angle-grinder=ag:$ans-agrind.txt"); fi
    if [ $HAVE_DUCKDB = 1 ] && [ -n "$refsql" ]; then
        python3 -c "$PY_DUCK" "$refsql" > "$ans-reference.txt" 2> "$ans-reference.err" || true
        specs+=("reference (DuckDB, untimed)=py:$ans-reference.txt")
    fi
    md "### Answers (each tool run once more, untimed; normalised to the seven levels; raw answers in \`answers/$id-*\`)" ""
    md "$(python3 -c "$ANSWERS_PY" "$ans-logsift.csv" "$ans-logsift-every.csv" "${specs[@]}")" ""
    if [ -n "$refsql" ] && [ $HAVE_DUCKDB = 1 ]; then md "Reference query: \`$refsql\`" ""; fi
    local note
    note=$(grep -h -m3 -E 'note|warning' "$ans-logsift.err" "$ans-logsift-every.err" 2>/dev/null | sort -u | head -4 || true)
    if [ -n "$note" ]; then md "logsift's notes on stderr:" "" '```' "$note" '```' ""; fi
}

# shellcheck disable=SC2016  # awk programs, no shell expansion wanted
GAWK_PLAIN='{c[$2]++} END{for(k in c) print k, c[k]}'
# shellcheck disable=SC2016
GAWK_JSON='match($0, /"level":"([^"]*)"/, m){c[m[1]]++} END{for(k in c) print k, c[k]}'
AGQ_PLAIN='* | parse "* * *" as ts, level, rest | count by level'
AGQ_JSON='* | json | count by level'
# read_csv options: one VARCHAR column per raw line; strict_mode=false and
# ignore_errors=true because the log has invalid UTF-8 and binary garbage (those
# lines are skipped).
SQL_PLAIN="select regexp_extract(line, '^\\S+ (\\S+)', 1) as level, count(*) from read_csv($(sql_str "$F"), columns={'line': 'VARCHAR'}, delim=E'\\x01', header=false, quote='', escape='', auto_detect=false, strict_mode=false, ignore_errors=true) group by 1 order by 2 desc"
SQL_JSON="select level, count(*) from read_ndjson($(sql_str "$J"), ignore_errors=true) group by 1 order by 2 desc"
# The true per-level count of J: every level key the generator writes.
SQL_JSON_REF="select coalesce(trim(level::VARCHAR, '\"'), \"log.level\", severity, levelname) as level, count(*) from read_ndjson($(sql_str "$J"), ignore_errors=true) group by 1 order by 2 desc"

NOTES_PLAIN=$(python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
    "gawk '$GAWK_PLAIN' F" "wrong answer: every line is counted, so stack-trace lines become junk keys (\`at\`, \`(most\`, \`by:\`, ...)" \
    "DuckDB (python3 -c, query below)" "raw lines + regexp_extract; like gawk, stack-trace lines give junk keys; includes python3 + duckdb start-up" \
    "agrind '$AGQ_PLAIN' --file F" "lines the pattern does not fit are dropped; stack-trace lines that fit give junk keys" \
    "logsift count --by level F" "records (stack traces joined to their record)")
NOTES_JSON=$(python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
    "gawk '$GAWK_JSON' J" "counts only a string \`\"level\":\"…\"\` key: misses pino's numeric level, \`log.level\`, \`severity\`, \`levelname\`" \
    "DuckDB (python3 -c, query below)" "groups the \`level\` key only (JSON-typed: strings and pino numbers); other services' records are null; includes python3 + duckdb start-up" \
    "agrind '$AGQ_JSON' --file J" "groups the \`level\` key only; garbage lines are reported on stderr" \
    "logsift count --by level J" "every level key and spelling, normalised")

if [ $NEED_COUNT = 1 ]; then
    run_count_group 6-count-plain "6. count by level, plain log (F)" "$F" F 3 \
        "$GAWK_PLAIN" "$SQL_PLAIN" "$AGQ_PLAIN" "$NOTES_PLAIN" ""
    run_count_group 7-count-json "7. count by level, JSON-lines log (J)" "$J" J 2 \
        "$GAWK_JSON" "$SQL_JSON" "$AGQ_JSON" "$NOTES_JSON" "$SQL_JSON_REF"
fi

# ---------------------------------------------------------------------------
# Memory.
HEAPBIN=""
HEAP_NOTE=""
if [ $NEED_HEAP = 1 ]; then
    log "memory: building with --features alloc-stats"
    if cargo build --release --features alloc-stats --target-dir "$TARGET_DIR/alloc-stats" --bin logsift >&2; then
        HEAPBIN=$TARGET_DIR/alloc-stats/release/logsift
    else
        HEAP_NOTE="- skipped: peak heap (\`cargo build --features alloc-stats\` failed; the feature may not exist yet); max RSS still measured"
    fi
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ten() { local _; for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$1"; done; }
# mem LABEL MODE(file|stdin|stdin10) PATH LOGSIFT-ARGS...: one table row; sets HEAP_MB
mem() {
    local label=$1 mode=$2 path=$3 heap="n/a" rss="n/a"
    shift 3
    HEAP_MB=""
    if [ -n "$HEAPBIN" ]; then
        if [ "$mode" = stdin10 ]; then
            ten "$path" | LOGSIFT_HEAP_STATS=1 "$HEAPBIN" "$@" > /dev/null 2> "$TMP/err" || true
        elif [ "$mode" = stdin ]; then
            # shellcheck disable=SC2002  # stdin must be a pipe, not the file
            cat "$path" | LOGSIFT_HEAP_STATS=1 "$HEAPBIN" "$@" > /dev/null 2> "$TMP/err" || true
        else
            LOGSIFT_HEAP_STATS=1 "$HEAPBIN" "$@" "$path" > /dev/null 2> "$TMP/err" || true
        fi
        local n
        n=$(sed -n 's/.*peak heap: \([0-9][0-9]*\) bytes.*/\1/p' "$TMP/err" | tail -1)
        if [ -n "$n" ]; then
            heap=$(awk -v n="$n" 'BEGIN{printf "%.1f", n/1e6}')
            HEAP_MB=$heap
        else
            heap="no 'peak heap' line"
        fi
    fi
    # RSS of the real release binary; `cat |` so that stdin is a pipe, not the file.
    if [ "$mode" = stdin10 ]; then
        ten "$path" | /usr/bin/time -f '%M' -o "$TMP/rss" "$LOGSIFT" "$@" > /dev/null 2>&1 || true
    elif [ "$mode" = stdin ]; then
        # shellcheck disable=SC2002
        cat "$path" | /usr/bin/time -f '%M' -o "$TMP/rss" "$LOGSIFT" "$@" > /dev/null 2>&1 || true
    else
        /usr/bin/time -f '%M' -o "$TMP/rss" "$LOGSIFT" "$@" "$path" > /dev/null 2>&1 || true
    fi
    local kb
    kb=$(tail -1 "$TMP/rss" 2>/dev/null || true)
    if [[ "$kb" =~ ^[0-9]+$ ]]; then rss=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k*1024/1e6}'); fi
    md "| $label | $heap | $rss |"
}
MEM_FOOT="(peak heap from the alloc-stats build, LOGSIFT_HEAP_STATS=1; max RSS from the release build, and it includes mapped file pages)"

if want 8-memory-grep; then
    log "memory: grep"
    md "## 8. Memory: logsift grep -c ERROR" ""
    if [ -n "$HEAP_NOTE" ]; then md "$HEAP_NOTE" ""; fi
    md "| input | peak heap (MB) | max RSS (MB) |" "|---|---:|---:|"
    mem "file: \`logsift grep -c ERROR F\`" file "$F" grep -c ERROR
    mem "stdin: \`cat F \\| logsift grep -c ERROR\`" stdin "$F" grep -c ERROR
    mem "gzip: \`logsift grep -c ERROR F.gz\`" file "$GZ" grep -c ERROR
    md "" "$MEM_FOOT" ""
fi

if want 9-memory-count; then
    log "memory: count"
    md "## 9. Memory: logsift count --by level (target: peak heap ≤ 128 MB whatever the input size)" ""
    if [ -n "$HEAP_NOTE" ]; then md "$HEAP_NOTE" ""; fi
    md "| input | peak heap (MB) | max RSS (MB) |" "|---|---:|---:|"
    mem "file: \`logsift count --by level F\`" file "$F" count --by level
    plain_heap=$HEAP_MB
    mem "stdin: \`cat F \\| logsift count --by level\`" stdin "$F" count --by level
    mem "file: \`logsift count --by level --every 1m F\`" file "$F" count --by level --every 1m
    mem "file: \`logsift count --by level J\`" file "$J" count --by level
    md "" "$MEM_FOOT" ""
    if [ -n "$plain_heap" ]; then
        if awk -v h="$plain_heap" 'BEGIN{exit !(h <= 128)}'; then verdict=met; else verdict="**not met**"; fi
        md "- target: peak heap of \`logsift count --by level F\` ≤ 128 MB: $plain_heap MB, $verdict" ""
    fi
fi

# ---------------------------------------------------------------------------
# report and templates.

# shellcheck disable=SC2016  # python source
GBS_PY='
import json, sys
path, target = sys.argv[1], float(sys.argv[2])
sizes = dict(zip(sys.argv[3::2], map(int, sys.argv[4::2])))
print("| command | mean ± σ (s) | GB/s | target ≥ %g GB/s |" % target)
print("|---|---:|---:|---|")
for r in json.load(open(path))["results"]:
    n = sizes[r["command"]]
    gbs = n / r["mean"] / 1e9
    name = r["command"].replace("|", "\\|")
    print("| `%s` | %.3f ± %.3f | %.2f | %s |" % (name, r["mean"], r.get("stddev") or 0.0, gbs,
          "met" if gbs >= target else "**not met**"))
'
if want 10-report; then
    log "group 10-report"
    json10=$DIR/10-report.hyperfine.json
    md "## 10. logsift report (levels + templates + histogram + spikes)" ""
    if hyperfine --output=pipe --warmup 1 --runs "$RUNS" --export-json "$json10" \
        --command-name "logsift report -o json F" "$qL report -o json $qF" \
        --command-name "logsift report -o json J" "$qL report -o json $(q "$J")" >&2; then
        md "$(python3 -c "$GBS_PY" "$json10" 1 "logsift report -o json F" "$BYTES" "logsift report -o json J" "$JBYTES")" ""
    else
        md "- **FAILED**: hyperfine exited non-zero" ""
    fi
    "$LOGSIFT" report "$F" > "$DIR/answers/10-report-F.txt" 2>&1 || true
    md "The report of F (terminal table, \`answers/10-report-F.txt\`):" "" '```' "$(head -c 6000 "$DIR/answers/10-report-F.txt")" '```' ""
fi

# drain3 and logsift templates on the same messages: the message part of F's first
# MSG_SIZE bytes (header stripped with sed, stack-trace lines kept as they are), one
# message per line; logsift with --multiline none so that both see the same lines.
MSG_SIZE=${MSG_SIZE:-64MiB}
# shellcheck disable=SC2016  # python source
DRAIN_PY='
import sys
from drain3 import TemplateMiner
m = TemplateMiner()
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        m.add_log_message(line.rstrip("\n"))
print(len(m.drain.clusters), "clusters")
'
if want 11-templates; then
    log "group 11-templates"
    M=$DIR/messages-$(printf '%s' "$MSG_SIZE" | tr '[:upper:]' '[:lower:]').txt
    if [ ! -s "$M" ] || [ "$F" -nt "$M" ]; then
        head -c "$(numfmt --from=iec "${MSG_SIZE%iB}")" "$F" | sed -E 's/^[^ ]+ +[A-Z]+ +\[[^]]*\] +[^ ]+ - //' > "$M.tmp"
        mv "$M.tmp" "$M"
    fi
    MB=$(stat -c %s "$M")
    cat "$M" > /dev/null
    json11=$DIR/11-templates.hyperfine.json
    md "## 11. templates: logsift vs drain3 on the same messages (M: $(mib "$MB") MiB of F's messages, headers stripped)" ""
    args=(--command-name "logsift templates --multiline none M" "$qL templates --multiline none $(q "$M")")
    # (a file, not python3 -c: hyperfine's sh cannot take bash's $'...' quoting of newlines)
    printf '%s\n' "$DRAIN_PY" > "$DIR/drain3_run.py"
    if [ $HAVE_DRAIN = 1 ]; then
        args+=(--command-name "drain3 (python3, TemplateMiner defaults) M" "python3 $(q "$DIR/drain3_run.py") $(q "$M")")
    fi
    if hyperfine --output=pipe --warmup 0 --runs 2 --export-json "$json11" "${args[@]}" >&2; then
        md "$(python3 -c '
import json, sys
rs = json.load(open(sys.argv[1]))["results"]; n = int(sys.argv[2])
mean = {r["command"]: r["mean"] for r in rs}
print("| command | mean (s) | MB/s |"); print("|---|---:|---:|")
for r in rs: print("| `%s` | %.3f | %.1f |" % (r["command"], r["mean"], n / r["mean"] / 1e6))
l, d = [c for c in mean if c.startswith("logsift")], [c for c in mean if c.startswith("drain3")]
if l and d:
    x = mean[d[0]] / mean[l[0]]
    print(); print("- target: logsift templates ≥ 50× drain3 throughput: %.0f×, %s" % (x, "met" if x >= 50 else "**not met**"))
' "$json11" "$MB")" ""
        md "- templates found: logsift $("$LOGSIFT" templates --multiline none -o csv "$M" 2>/dev/null | tail -n +2 | wc -l)$([ $HAVE_DRAIN = 1 ] && printf ', drain3 %s' "$(python3 "$DIR/drain3_run.py" "$M" 2>/dev/null)")" ""
    else
        md "- **FAILED**: hyperfine exited non-zero" ""
    fi
fi

if want 12-memory-report; then
    log "memory: report"
    md "## 12. Memory: logsift report (target: peak heap ≤ 256 MB on 1 GiB, and no more on 10 GiB)" ""
    if [ -n "$HEAP_NOTE" ]; then md "$HEAP_NOTE" ""; fi
    md "| input | peak heap (MB) | max RSS (MB) |" "|---|---:|---:|"
    mem "file: \`logsift report F\`" file "$F" report -o json
    h1=$HEAP_MB
    mem "stdin: \`cat F \\| logsift report\`" stdin "$F" report -o json
    # 10 GiB: F ten times over, through a pipe (no 10 GiB file on disk).
    mem "10 × F through a pipe (10 GiB): \`logsift report\`" stdin10 "$F" report -o json
    md "" "$MEM_FOOT" ""
    if [ -n "$h1" ] && [ -n "$HEAP_MB" ]; then
        md "- target: peak heap ≤ 256 MB: $h1 MB on F ($SIZE), $HEAP_MB MB on 10 × F" ""
    fi
fi

log "done: $MD"
