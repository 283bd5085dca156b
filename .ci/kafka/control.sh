#!/usr/bin/env bash
# Stops and starts the broker that start.sh set up in WORKDIR (its jars,
# config and KRaft storage stay there, so a restart keeps every topic,
# record and committed offset).
# Usage: control.sh WORKDIR start|stop|status
#   start   launches the broker and waits until 127.0.0.1:19092 accepts connections
#   stop    stops it (SIGTERM, a clean shutdown; SIGKILL after 30s) and waits for its exit
#   status  exits 0 when the broker process runs
# .ci/run exports JEPSEN_LITE_KAFKA_CONTROL="<this script> WORKDIR": tests run
# "$JEPSEN_LITE_KAFKA_CONTROL stop" and "... start".
set -euo pipefail
work=${1:?work dir}
cmd=${2:?start, stop or status}
pidf="$work/broker.pid"
running() { [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; }
case "$cmd" in
start)
  if running; then echo "kafka broker already running" >&2; exit 0; fi
  t0=$(date +%s)
  nohup java -Xms128m -Xmx512m -Dlog4j.configuration="file:$work/log4j.properties" \
    -cp "$work/lib/*" kafka.Kafka "$work/server.properties" >> "$work/broker.log" 2>&1 &
  echo $! > "$pidf"
  for _ in $(seq 1 90); do
    if (echo > /dev/tcp/127.0.0.1/19092) 2>/dev/null; then
      echo "kafka broker listening on 127.0.0.1:19092 after $(( $(date +%s) - t0 ))s" >&2
      exit 0
    fi
    running || break
    sleep 1
  done
  echo "kafka broker did not start; last log lines:" >&2
  tail -20 "$work/broker.log" >&2
  exit 1
  ;;
stop)
  running || { echo "kafka broker not running" >&2; exit 0; }
  pid=$(cat "$pidf")
  kill "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || { echo "kafka broker stopped" >&2; exit 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  echo "kafka broker killed after 30s" >&2
  ;;
status)
  running
  ;;
*)
  echo "control.sh: unknown command $cmd (want start, stop or status)" >&2
  exit 64
  ;;
esac
