#!/usr/bin/env bash
# The one-command demo: builds the project and shows a sync against real registries.
set -euo pipefail
echo "satellite-java demo: coming soon (the runnable examples are not in this version yet)."
