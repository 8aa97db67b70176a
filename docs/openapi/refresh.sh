#!/usr/bin/env bash
# Refreshes the OpenAPI documents in this folder from a running local stack (deploy/local/run, default ports):
# parley.json, the whole public API as the gateway serves it (GET /q/openapi; the tests check it is the served one),
# and each service's own document, internal paths included.
set -euo pipefail
cd "$(dirname "$0")"
curl -sf "http://127.0.0.1:${PARLEY_GATEWAY_PORT:-8080}/q/openapi?format=json" -o parley.json
for service in conversation-service:${PARLEY_CONVERSATION_PORT:-8081} \
               message-service:${PARLEY_MESSAGE_PORT:-8082} notification-service:${PARLEY_NOTIFICATION_PORT:-8083}; do
  curl -sf "http://127.0.0.1:${service#*:}/q/openapi?format=yaml" -o "${service%:*}.yaml"
done
