#!/usr/bin/env bash
# Writes a siege URL file of N POST /deliveryrequests lines, each with its own procNo (siege cannot generate them):
#   bench/siege/urls.sh 20000 http://localhost:8082 > /tmp/post-urls.txt
# siege's own format: URL POST <body>; the Content-Type comes from --content-type on the siege command line.
set -euo pipefail
n=${1:-10000}
base=${2:-http://localhost:8082}
run=$(date +%s)-$$
for ((i = 1; i <= n; i++)); do
  printf '%s/deliveryrequests POST {"procNo":"sg-%s-%d","procTitle":"사무용 의자","procAgency":"서울시청","procPrice":1200000,"procQty":12}\n' \
    "$base" "$run" "$i"
done
