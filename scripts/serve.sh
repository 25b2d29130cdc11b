#!/usr/bin/env bash
# Sets everything up, imports the sample creator's posts (once; re-running adds nothing) and
# serves the app on http://127.0.0.1:7860 — fan chat at /, creator studio at /studio/, HTTP
# API at /v1. Extra arguments go to `avatar serve` (e.g. --port 8000, --backend openai).
# The studio needs AVATAR_STUDIO_PASSWORD; the API token is AVATAR_API_TOKEN (or printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
PERSONA="${AVATAR_PERSONA:-persona_data/mara-okafor}"
BIN="${AVATAR_VENV:-.venv}/bin"
"$BIN/avatar" ingest "$PERSONA/posts" --persona "$PERSONA"     # idempotent: adds only new posts
exec "$BIN/avatar" serve --persona "$PERSONA" "$@"
