#!/usr/bin/env bash
# HPA demo (the original: kubectl autoscale ... --cpu-percent=20 --min=1 --max=10, then siege -c50 -t30S POSTs).
# Ours: the prod overlay already carries HorizontalPodAutoscalers (k8s/overlays/prod/patches/autoscaling.yaml).
# Load request-svc with 50 users for 30 s of unique registrations and watch it scale in another terminal:
#   kubectl -n procurement get hpa,pods -w
#
#   bench/siege/hpa.sh [base-url] [seconds]     # in the cluster e.g. from a siege pod: http://request-svc:8080
set -euo pipefail
base=${1:-http://localhost:8082}
seconds=${2:-30}
command -v siege >/dev/null || { echo "siege is not installed (apt-get install -y siege)" >&2; exit 2; }
urls=$(mktemp)
trap 'rm -f "$urls"' EXIT
"$(dirname "$0")/urls.sh" 200000 "$base" > "$urls"
# -i picks lines at random, so a few procNos repeat: those answer 409 (a rule, not an outage).
siege -c50 -t"${seconds}S" -i -f "$urls" --content-type "application/json" -v
