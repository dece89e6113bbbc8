#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The token-minting commands of docs/auth-tokens.md ("Minting a test token"), run by DocumentedTokensIT in the
# current directory. Prints "<alg> <token>" lines and "SECRET <the HS256 secret>".
set -euo pipefail
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
openssl pkey -in rsa.pem -pubout -out rsa.pub.pem
export JWT_HS_SECRET=$(openssl rand -base64 48)

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
payload=$(printf '{"sub":"alice","iss":"billing-service","aud":"orders-api","scope":"orders:read","iat":%d,"exp":%d}' \
  "$now" $((now + 600)) | b64url)
h=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
RS_TOKEN="$h.$payload.$(printf '%s.%s' "$h" "$payload" | openssl dgst -sha256 -sign rsa.pem -binary | b64url)"
h=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
HS_TOKEN="$h.$payload.$(printf '%s.%s' "$h" "$payload" | openssl dgst -sha256 -hmac "$JWT_HS_SECRET" -binary | b64url)"
echo "SECRET $JWT_HS_SECRET"
echo "openssl-RS256 $RS_TOKEN"
echo "openssl-HS256 $HS_TOKEN"

# python3-jwt (Debian: apt install python3-jwt python3-cryptography); skipped when missing
if ! /usr/bin/python3 -c 'import jwt, cryptography' 2>/dev/null; then
  exit 0
fi
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
openssl pkey -in ec.pem -pubout -out ec.pub.pem
openssl genpkey -algorithm ed25519 -out ed.pem
openssl pkey -in ed.pem -pubout -out ed.pub.pem
mint() { /usr/bin/python3 -c 'import jwt, sys, time
alg, key = sys.argv[1], sys.argv[2]
key = open(key).read() if key.endswith(".pem") else key
now = int(time.time())
print(jwt.encode({"sub": "alice", "iss": "billing-service", "aud": "orders-api", "scope": "orders:read",
                  "iat": now, "exp": now + 600}, key, algorithm=alg))' "$@"; }
for alg in RS256 RS384 RS512 PS256 PS384 PS512; do echo "python-$alg $(mint $alg rsa.pem)"; done
echo "python-ES256 $(mint ES256 ec.pem)"
echo "python-EdDSA $(mint EdDSA ed.pem)"
echo "python-HS256 $(mint HS256 "$JWT_HS_SECRET")"
