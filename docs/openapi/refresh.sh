#!/usr/bin/env bash
# Refreshes the OpenAPI documents in this folder from a running local stack (deploy/local/run, default ports).
set -euo pipefail
cd "$(dirname "$0")"
for service in gateway:${PARLEY_GATEWAY_PORT:-8080} conversation-service:${PARLEY_CONVERSATION_PORT:-8081} \
               message-service:${PARLEY_MESSAGE_PORT:-8082} notification-service:${PARLEY_NOTIFICATION_PORT:-8083}; do
  curl -sf "http://127.0.0.1:${service#*:}/q/openapi?format=yaml" -o "${service%:*}.yaml"
done
