#!/usr/bin/env bash
# A virtual environment, outside the source tree, whose compiled codecs are built
# with clang for coverage-guided fuzzing of the C code (-fsanitize=fuzzer-no-link:
# libFuzzer sees which branches of the extension an input reaches) and with
# AddressSanitizer (an out-of-bounds read or use-after-free stops the run with a
# report, instead of passing silently or killing a worker later).
#
#   apt-get install clang        # Debian's clang 14 works with atheris's libFuzzer
#   bash fuzz/build_sanitized.sh [DIR]   (default /tmp/pim-fuzz-asan)
#   python fuzz/run.py --python DIR/venv/bin/python --asan --path compiled --minutes 30
#
# The package is installed from a copy of the committed tree (git archive), so no
# build output ever lands in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-/tmp/pim-fuzz-asan}"
python="${PYTHON:-python3}"

rm -rf "$dest"
mkdir -p "$dest/src"
git archive HEAD | tar -x -C "$dest/src"
"$python" -m venv "$dest/venv"
"$dest/venv/bin/python" -m pip install --quiet --upgrade pip
# The integrations the invariants check when present, and the fast JSON backend.
"$dest/venv/bin/python" -m pip install --quiet atheris msgspec pydantic jsonschema rfc3339-validator \
    "setuptools>=77" "Cython>=3.0.11"
CC=clang LDSHARED="clang -shared" \
    CFLAGS="-fsanitize=address,fuzzer-no-link -fno-omit-frame-pointer -O1" \
    LDFLAGS="-fsanitize=address,fuzzer-no-link" \
    "$dest/venv/bin/python" -m pip install --quiet --no-build-isolation "$dest/src"
so="$(find "$dest/venv" -name '_codecs_c*.so' | head -1)"
if [ -z "$so" ] || ! nm -D "$so" | grep -q __asan; then
    echo "build_sanitized.sh: the extension was not built with ASan ($so)" >&2
    exit 1
fi
echo "sanitized build: $so"
echo "run: python fuzz/run.py --python $dest/venv/bin/python --asan --path compiled --minutes 30"
