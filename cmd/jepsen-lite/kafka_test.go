package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// `run --bus kafka` needs no flags beyond the bus: it starts an embedded
// broker, prints the seed first and a reproduce command naming the bus
// last, and a correct run exits 0.
func TestRunBusKafkaEmbedded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runCLI(t, "run", "--bus", "kafka", "--ops", "200", "--out", dir)
	if code != exitValid {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if lines[0] != "seed 1" || !strings.HasPrefix(lines[len(lines)-1], "reproduce: jepsen-lite run --seed 1 --bus kafka") {
		t.Fatalf("want the seed first and a reproduce command with --bus kafka last:\n%s", stdout)
	}
}

// --brokers without --bus kafka is a usage error naming the flag.
func TestBrokersNeedsBusKafka(t *testing.T) {
	code, _, stderr := runCLI(t, "run", "--brokers", "127.0.0.1:9092")
	if code != exitUsage || !strings.Contains(stderr, "--brokers") {
		t.Fatalf("exit %d stderr %q: want usage error naming --brokers", code, stderr)
	}
}
