#!/usr/bin/env bash
# A bearer token for the dev overlay's gateway: HS256-signed with the dev-only secret of the Secret gateway-jwt, with
# the issuer and audience of the ConfigMap gateway-svc-config (read from the cluster). Needs kubectl and openssl.
#
#   k8s/scripts/dev-token.sh ROLE[,ROLE...] [companyNo] [subject]
#   k8s/scripts/dev-token.sh agency
#   k8s/scripts/dev-token.sh supplier c01
#   TOKEN=$(k8s/scripts/dev-token.sh pps) && curl -H "Authorization: Bearer $TOKEN" ...
#
# Roles: viewer, agency, pps, supplier (needs a companyNo), admin. Valid for 12 hours. Dev only: in prod the identity
# provider issues tokens and the gateway holds only its public key.
set -euo pipefail

roles=${1:?usage: $0 ROLE[,ROLE...] [companyNo] [subject]}
company=${2:-}
subject=${3:-dev-${roles%%,*}}
ns=${NAMESPACE:-procurement}

secret=$(kubectl -n "$ns" get secret gateway-jwt -o jsonpath='{.data.hs256-secret}' | base64 -d)
issuer=$(kubectl -n "$ns" get configmap gateway-svc-config -o jsonpath='{.data.JWT_ISSUER}')
audience=$(kubectl -n "$ns" get configmap gateway-svc-config -o jsonpath='{.data.JWT_AUDIENCE}')
claim=$(kubectl -n "$ns" get configmap gateway-svc-config -o jsonpath='{.data.JWT_ROLES_CLAIM}')

now=$(date +%s)
role_list=$(printf '%s' "$roles" | awk -F, '{for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), $i}')
payload=$(printf '{"sub":"%s","iss":"%s","aud":"%s","iat":%d,"exp":%d,"%s":[%s]%s}' \
  "$subject" "$issuer" "$audience" "$now" "$((now + 12 * 3600))" "${claim:-roles}" "$role_list" \
  "${company:+,\"companyNo\":\"$company\"}")

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
body=$(printf '%s' "$payload" | b64url)
signature=$(printf '%s.%s' "$header" "$body" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$body" "$signature"
