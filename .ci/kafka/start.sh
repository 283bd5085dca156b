#!/usr/bin/env bash
# Starts one Apache Kafka broker (KRaft, broker+controller) on 127.0.0.1:19092
# from Maven Central artifacts, for the Kafka integration tests of .ci/run.
# Usage: start.sh WORKDIR  — prints the broker list on the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?work dir}
mkdir -p "$work/data"
t0=$(date +%s)
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/lib" >&2
sed "s#@DATA@#$work/data#" "$here/server.properties" > "$work/server.properties"
cp "$here/log4j.properties" "$work/"
cp=("$work/lib/*")
echo "kafka version: $(java -cp "${cp[0]}" kafka.Kafka --version 2>/dev/null | head -1)" >&2
uuid=$(java -cp "${cp[0]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
java -cp "${cp[0]}" kafka.tools.StorageTool format -t "$uuid" -c "$work/server.properties" >/dev/null 2>&1
nohup java -Xms128m -Xmx512m -Dlog4j.configuration="file:$work/log4j.properties" \
  -cp "${cp[0]}" kafka.Kafka "$work/server.properties" > "$work/broker.log" 2>&1 &
echo $! > "$work/broker.pid"
for i in $(seq 1 90); do
  if (echo > /dev/tcp/127.0.0.1/19092) 2>/dev/null; then
    echo "kafka broker ready on 127.0.0.1:19092 after $(( $(date +%s) - t0 ))s (download + format + start)" >&2
    echo "127.0.0.1:19092"
    exit 0
  fi
  if ! kill -0 "$(cat "$work/broker.pid")" 2>/dev/null; then break; fi
  sleep 1
done
echo "kafka broker did not start; last log lines:" >&2
tail -20 "$work/broker.log" >&2
exit 1
