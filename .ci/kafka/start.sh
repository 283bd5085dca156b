#!/usr/bin/env bash
# Starts one Apache Kafka broker (KRaft, broker+controller) on 127.0.0.1:19092
# from Maven Central artifacts, for the Kafka integration tests of .ci/run.
# Usage: start.sh WORKDIR  — prints the broker list on the last line.
# control.sh WORKDIR stop|start stops and restarts the same broker.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?work dir}
mkdir -p "$work/data"
t0=$(date +%s)
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/lib" >&2
sed "s#@DATA@#$work/data#" "$here/server.properties" > "$work/server.properties"
cp "$here/log4j.properties" "$work/"
echo "kafka version: $(java -cp "$work/lib/*" kafka.Kafka --version 2>/dev/null | head -1)" >&2
uuid=$(java -cp "$work/lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
java -cp "$work/lib/*" kafka.tools.StorageTool format -t "$uuid" -c "$work/server.properties" >/dev/null 2>&1
"$here/control.sh" "$work" start
echo "kafka broker ready on 127.0.0.1:19092 after $(( $(date +%s) - t0 ))s (download + format + start)" >&2
echo "127.0.0.1:19092"
