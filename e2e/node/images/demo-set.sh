#!/bin/sh
# CGI of pacto.local/demo-service: /cgi-bin/set?health=fail|ok&ready=fail|ok&metric=NAME&value=V
metric="" value=""
for kv in $(echo "$QUERY_STRING" | tr '&' ' '); do
  k="${kv%%=*}" v="${kv#*=}"
  case "$k" in
  health | ready) if [ "$v" = ok ]; then echo ok >"/www/$k"; else rm -f "/www/$k"; fi ;;
  metric) metric="$v" ;;
  value) value="$v" ;;
  esac
done
if [ -n "$metric" ]; then
  case "$metric" in *[!a-zA-Z0-9_:]*) metric="" ;; esac
  case "$value" in *[!0-9.eE+-]*) value="" ;; esac
  if [ -n "$metric" ] && [ -n "$value" ]; then
    grep -v "^$metric " /www/metrics >/www/metrics.new || true
    echo "$metric $value" >>/www/metrics.new
    mv /www/metrics.new /www/metrics
  fi
fi
echo "Content-Type: text/plain"
echo
echo "health=$([ -f /www/health ] && echo ok || echo fail) ready=$([ -f /www/ready ] && echo ok || echo fail)"
