#!/usr/bin/env bash
# Build the partial plotly.js bundle served by the evalsheets app.
#
#   bash tools/plotly-bundle/build.sh            # from the repo root (or anywhere)
#
# Installs the exact pinned dependencies from package-lock.json (npm ci) into
# tools/plotly-bundle/node_modules, bundles index.js with esbuild into a
# minified IIFE that defines the global `Plotly` (window.Plotly), and writes
# static/vendor/plotly-evalsheets.min.js. Needs node + npm and access to the
# npm registry at build time only; the output has no runtime network needs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-$REPO_ROOT/static/vendor/plotly-evalsheets.min.js}"
TRACES="bar, scatter, treemap, heatmap"

cd "$HERE"

# --ignore-scripts: nothing here needs install scripts (esbuild finds its
# platform binary through its @esbuild/* optional dependency).
npm ci --ignore-scripts --no-audit --no-fund

PLOTLY_VERSION="$(node -p "require('plotly.js/package.json').version")"
ESBUILD_VERSION="$(node -p "require('esbuild/package.json').version")"
EXPECTED_PLOTLY="$(node -p "require('./package.json').dependencies['plotly.js']")"
if [[ "$PLOTLY_VERSION" != "$EXPECTED_PLOTLY" ]]; then
    echo "installed plotly.js $PLOTLY_VERSION != pinned $EXPECTED_PLOTLY" >&2
    exit 1
fi

BANNER="/**
* plotly.js v${PLOTLY_VERSION} - partial bundle for evalsheets
* traces: ${TRACES}; locale: ja (plus the built-in en / en-US)
* built by tools/plotly-bundle/build.sh (esbuild ${ESBUILD_VERSION})
* Copyright 2012-2026, Plotly, Inc. All rights reserved.
* Licensed under the MIT license
*/"

mkdir -p "$(dirname "$OUT")"
TMP_OUT="$(mktemp "${TMPDIR:-/tmp}/plotly-evalsheets.XXXXXX.js")"
trap 'rm -f "$TMP_OUT"' EXIT

# Settings mirror plotly.js's own esbuild-config.js (iife, global name Plotly,
# es2016 target, global -> window, define.amd -> false). No glsl / inline-css
# plugins are needed: none of the included traces use WebGL shaders, and the
# only stylesheet reachable from core (maplibre-gl.css, required for `map`
# subplots, which are not registered here) is dropped with the empty loader.
./node_modules/.bin/esbuild index.js \
    --bundle \
    --format=iife \
    --global-name=Plotly \
    --minify \
    --target=es2016 \
    --platform=browser \
    --define:global=window \
    --define:define.amd=false \
    --loader:.css=empty \
    --log-level=warning \
    "--banner:js=$BANNER" \
    --outfile="$TMP_OUT"

# Sanity check: the bundle must evaluate and expose the API we use.
node -e '
const fs = require("fs");
const src = fs.readFileSync(process.argv[1], "utf8");
if (!src.startsWith("/**\n* plotly.js v")) throw new Error("missing header");
if (!/var Plotly=/.test(src)) throw new Error("global Plotly not defined");
' "$TMP_OUT"

mv "$TMP_OUT" "$OUT"
trap - EXIT
chmod 644 "$OUT"

raw=$(wc -c < "$OUT")
gz=$(gzip -9 -c "$OUT" | wc -c)
br=$(node -e '
const zlib = require("zlib"), fs = require("fs");
const buf = fs.readFileSync(process.argv[1]);
process.stdout.write(String(zlib.brotliCompressSync(buf, {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 11}}).length));
' "$OUT")

echo "wrote ${OUT#$REPO_ROOT/}"
printf '  plotly.js %s, traces: %s, locale: ja\n' "$PLOTLY_VERSION" "$TRACES"
printf '  raw:       %9d bytes\n' "$raw"
printf '  gzip -9:   %9d bytes\n' "$gz"
printf '  brotli 11: %9d bytes\n' "$br"
