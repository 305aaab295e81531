#!/bin/sh
# Entrypoint of pacto.local/demo-service: busybox httpd serving /www on $PORT (default 8080).
#   GET /health, /ready    200 while the file exists, 404 once removed
#   GET /metrics           Prometheus text from /www/metrics
#   GET /cgi-bin/set?health=fail|ok&ready=fail|ok&metric=NAME&value=V
#                          flips the state at run time (e2e tests drive Pods from the host)
# Start state from the environment: DEMO_HEALTH=fail, DEMO_READY=fail, DEMO_METRICS (lines
# appended to /metrics), DEMO_VERSION (reported as demo_info{version=...}).
# /www may be a mounted emptyDir/ConfigMap: files already present there are kept.
set -e
port="${PORT:-8080}"
mkdir -p /www
[ "${DEMO_HEALTH:-ok}" = ok ] && echo ok >/www/health || rm -f /www/health
[ "${DEMO_READY:-ok}" = ok ] && echo ok >/www/ready || rm -f /www/ready
if [ ! -f /www/metrics ]; then
  {
    echo "# TYPE demo_info gauge"
    echo "demo_info{version=\"${DEMO_VERSION:-1}\"} 1"
    [ -n "${DEMO_METRICS:-}" ] && printf '%s\n' "$DEMO_METRICS"
  } >/www/metrics
fi
if [ ! -e /www/cgi-bin/set ]; then
  mkdir -p /www/cgi-bin
  cp /demo-set.sh /www/cgi-bin/set
fi
# PID 1 ignores SIGTERM without a handler: forward it to httpd so Pods stop at once.
httpd -f -p "$port" -h /www &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
wait "$child"
