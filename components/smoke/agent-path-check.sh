#!/bin/sh
# The agent path's WebSocket handshake, as an agent makes it, for an agent the controller does not
# know. Jenkins itself must refuse it: through the proxy (websocket) or the endpoint (tcp), over
# PrivateLink, to the controller. Used by the post-deploy smoke check and by the scheduled check
# in the agent namespace.
#
# Jenkins (core, jenkins/agents/WebSocketAgents.java) answers an upgrade to /wsagents/ that carries
# Node-Name, Secret-Key and X-Remoting-Capability for a node it does not know with
# `HttpResponses.errorWithoutStack(400, "no such agent")`: status 400 and the message
# "no such agent" in the error page. Anything else is not Jenkins' refusal: 101 (someone knows
# the name), 403 (the proxy's refusal, or a known agent with another secret), 502/503/504 (the
# proxy or the load balancer has no controller), 000 (no connection at all).
#
# Environment: AGENT_URL (the URL agents are given, with a trailing slash; required) and
# CA_FILE (the gateway CA for an https URL; optional).
# Prints one result line, "AGENT-PATH-CHECK PASS ..." or "AGENT-PATH-CHECK FAIL ...", and
# exits 0 or 1. The scheduled check's alarm counts these lines.
set -u

url="${AGENT_URL:?AGENT_URL is required}"
ca="${CA_FILE:-}"
# A name no node has: a fixed prefix, the time and the process.
node="agent-path-check-$(date +%s)-$$"
tls=""
if [ -n "$ca" ]; then tls="--cacert $ca"; fi

# The body and, on its own last line, the status (no file: the root file system is read-only).
# shellcheck disable=SC2086 # $tls is empty or two words on purpose
out=$(curl -s -o - --max-time 20 $tls \
  -w '\n%{http_code}' \
  -H 'Connection: Upgrade' \
  -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
  -H "Node-Name: $node" \
  -H 'Secret-Key: 0000000000000000000000000000000000000000000000000000000000000000' \
  -H 'X-Remoting-Capability: rO0ABXNyABpodWRzb24ucmVtb3RpbmcuQ2FwYWJpbGl0eQ==' \
  "${url}wsagents/")
rc=$?
code=$(printf '%s\n' "$out" | tail -n 1)

if [ "$code" = 400 ] && printf '%s\n' "$out" | grep -qi 'no such agent'; then
  echo "AGENT-PATH-CHECK PASS GET ${url}wsagents/ for unknown agent $node: Jenkins refused it (400 no such agent)"
  exit 0
fi
case "$code" in
  000) why="no HTTP answer (curl exit $rc): the proxy, the endpoint or the private name is unreachable" ;;
  101) why="the upgrade was accepted: a node named $node exists" ;;
  400) why="400 without Jenkins' message: not the controller's refusal" ;;
  403) why="403: refused before Jenkins (the proxy's path filter?)" ;;
  502 | 503 | 504) why="$code: the proxy or the load balancer has no healthy controller behind it" ;;
  *) why="answered $code; expected 400 no such agent from Jenkins" ;;
esac
echo "AGENT-PATH-CHECK FAIL GET ${url}wsagents/: $why"
exit 1
