#!/usr/bin/env bash
# Circuit breaker demo (the original: siege -c100 -t10S PATCH deliveryrequests/1 with management slowed by Istio).
# Ours: PATCH /inspectionResults/{id} makes request-svc call management synchronously behind a circuit breaker
# (timeout 1 s, opens after 5 failures, half-opens after 5 s). With management stopped, every answer must be a fast
# 503 application/problem+json with Retry-After, never a hang; with management back, 200 (or 409 once recorded).
#
#   bench/siege/circuit-breaker.sh [base-url]       # default http://localhost:8082 (request-svc, local stack)
set -euo pipefail
base=${1:-http://localhost:8082}
stack="java -jar $(dirname "$0")/../../local-stack/target/local-stack.jar"
command -v siege >/dev/null || { echo "siege is not installed (apt-get install -y siege)" >&2; exit 2; }

# a request whose inspection was requested: register, order and request inspection through the direct ports
proc="cb-$(date +%s)"
id=$(curl -sf -XPOST "$base/deliveryrequests" -H 'Content-Type: application/json' \
  -d "{\"procNo\":\"$proc\",\"procTitle\":\"사무용 의자\"}" | sed -E 's/.*"id":([0-9]+).*/\1/')
until curl -sf "http://localhost:8081/deliverymanagements/$id" | grep -q POSTED; do sleep 0.2; done
curl -sf -XPATCH "http://localhost:8081/deliverymanagements/$id" -H 'Content-Type: application/json' \
  -d "{\"procNo\":\"$proc\",\"companyNo\":\"c01\",\"companyNm\":\"레드불\"}" >/dev/null
until curl -sf "http://localhost:8083/goodsdeliveries/$id" | grep -q DELIVERY_REQUESTED; do sleep 0.2; done
curl -sf -XPATCH "http://localhost:8083/goodsdeliveries/$id" -H 'Content-Type: application/json' \
  -d "{\"procNo\":\"$proc\",\"companyPhoneNo\":\"010-1234-1234\",\"inspectionContents\":\"납품 완료\"}" >/dev/null
until curl -sf "$base/inspectionResults/$id" | grep -q INSPECTION_REQUESTED; do sleep 0.2; done

echo "== management stopped: expect only fast 503s (Retry-After), the circuit opening after 5 failures"
$stack stop management-svc
siege -c100 -t10S -v --content-type "application/json" \
  "$base/inspectionResults/$id PATCH {\"procNo\":\"$proc\",\"inspectionSuccFlag\":true}" || true
echo "== management back: after the half-open probe the first PATCH records the result (200), then 409"
$stack start management-svc
sleep 5
siege -c100 -t10S -v --content-type "application/json" \
  "$base/inspectionResults/$id PATCH {\"procNo\":\"$proc\",\"inspectionSuccFlag\":true}" || true
