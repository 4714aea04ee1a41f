#!/usr/bin/env bash
# The gateway's added latency under load, with wrk: the same GET straight to request-svc and through the gateway,
# one after the other in the same run, p50/p90/p99 printed side by side.
#
#   source .data/tokens.env
#   gateway-svc/bench/latency.sh [seconds] [connections]
#
# wrk sends as fast as it can with one token, far above the default limit of 200 requests per second per caller, so
# start the stack for this with the limit raised, e.g.
#   RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 java -jar local-stack/target/local-stack.jar
# (the launcher passes its environment to the services). For figures under the default limit use GatewayLatency.java.
set -euo pipefail
seconds=${1:-20}
connections=${2:-8}
token=${TOKEN:-${VIEWER_TOKEN:?source .data/tokens.env first}}
direct=${DIRECT_URL:-http://localhost:8082/deliveryrequests/1}
gateway=${GATEWAY_URL:-http://localhost:8088/deliveryrequests/1}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }

run() { # name url [header]
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency ${3:+-H "$3"} "$2")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "$1: $(grep Non-2xx <<<"$out") (rate limit not raised?)" >&2
  fi
  printf '%-8s %10s %10s %10s %12s\n' "$1" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="90%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Requests\/sec/{print $2}' <<<"$out")"
}

# warm-up of both paths (JIT, pools)
wrk -t1 -c2 -d5s "$direct" >/dev/null
wrk -t1 -c2 -d5s -H "Authorization: Bearer $token" "$gateway" >/dev/null

echo "wrk -t2 -c$connections -d${seconds}s: $direct vs $gateway"
printf '%-8s %10s %10s %10s %12s\n' "" p50 p90 p99 "requests/s"
run direct "$direct"
run gateway "$gateway" "Authorization: Bearer $token"
