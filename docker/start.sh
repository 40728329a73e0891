#!/bin/bash
# Bring the database schema up to date, then serve: gunicorn on a loopback port behind nginx,
# which buffers requests so that slow clients cannot hold gunicorn's threads. The container
# stops when either process stops, so that the orchestrator restarts it whole.
set -euo pipefail
rapport db upgrade

run=/tmp/nginx
mkdir -p "$run"
sed -e "s|\${PORT}|${PORT}|g" -e "s|\${UPSTREAM}|127.0.0.1:${GUNICORN_PORT}|g" \
    -e "s|\${NGINX_RUN}|${run}|g" /app/nginx.conf > "$run/nginx.conf"

HOST=127.0.0.1 PORT="$GUNICORN_PORT" gunicorn --config /app/gunicorn.conf.py service.wsgi:app &
gunicorn_pid=$!
nginx -e stderr -p "$run" -c "$run/nginx.conf" &
nginx_pid=$!
trap 'kill -TERM "$gunicorn_pid" "$nginx_pid" 2>/dev/null' TERM INT
wait -n "$gunicorn_pid" "$nginx_pid"
status=$?
kill -TERM "$gunicorn_pid" "$nginx_pid" 2>/dev/null || true
wait
exit "$status"
