#!/usr/bin/env bash
# Zero-downtime demo (the original: siege -c100 during a redeploy, with and without a readinessProbe).
# Ours: every service has /health/ready (DOWN as soon as shutdown starts, UP only once started) and drains in-flight
# requests on SIGTERM; the k8s base sets readinessProbe, preStop and maxUnavailable 0. Run the load through the gateway
# while restarting request-svc in another terminal:
#   kubectl -n procurement rollout restart deployment/request-svc     # expect Availability 100.00 %
# The local stack runs one instance per service, so locally a restart shows the other side of the demo: the gateway
# answers 502/503 problem+json while request-svc is away (java -jar local-stack/target/local-stack.jar restart request-svc).
#
#   source .data/tokens.env; bench/siege/zero-downtime.sh [gateway-url] [seconds]
set -euo pipefail
base=${1:-http://localhost:8088}
seconds=${2:-60}
token=${AGENCY_TOKEN:?source .data/tokens.env first (the gateway needs a token)}
command -v siege >/dev/null || { echo "siege is not installed (apt-get install -y siege)" >&2; exit 2; }
urls=$(mktemp)
trap 'rm -f "$urls"' EXIT
"$(dirname "$0")/urls.sh" 200000 "$base" > "$urls"
# the gateway's per-caller rate limit (200/s by default) would answer 429s: raise it for the demo
# (RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST in the gateway's environment)
siege -c100 -t"${seconds}S" -i -f "$urls" --content-type "application/json" -H "Authorization: Bearer $token" -v
