// Package logcheck judges a log/queue history (sends to and polls of
// topic-partitions, as on the Kafka transport) the way Jepsen's kafka
// workload checker does (jepsen.tests.kafka), under its anomaly names
// (DESIGN.md, log/queue vocabulary).
//
// It sits with the other checkers after workloads/ and before reports/: a
// log workload writes a history of Ops (history.go, one JSON object per
// line, read strictly by Read), Analyze finds anomalies, and Result turns
// them into a verdict under Options. Checker wraps both as a
// checker.Checker named "log". Like every checker it judges only what
// clients saw; it imports no part of the system.
//
// # What the history says
//
// Per key, every committed send with a known offset and every polled entry
// (of any poll, ok or not) places a value at an offset. An info send counts
// as committed only if an ok poll returned one of its values (Jepsen's
// must-have-committed?); a failed send never does. Offsets are compared by
// dense index, their rank among the offsets known to hold a value, since
// transaction markers take offsets that no consumer sees.
//
// # Anomalies
//
//	G1a                   an ok poll returned a value whose send failed
//	lost-write            a committed value no ok poll returned, below the highest entry an ok poll returned
//	inconsistent-offsets  one offset holds two values
//	duplicate             one value at two offsets
//	unseen                acknowledged sends no ok poll returned at all (count per key)
//	nonmonotonic-send     a process's next send to a key lands at or before its last one
//	int-nonmonotonic-send the same within one op
//	nonmonotonic-poll     a process's next poll of a key starts at or before where its last ok poll ended
//	int-nonmonotonic-poll the same within one poll's entries
//	poll-skip             a process's next poll of a key starts past the next known value
//	int-poll-skip         the same within one poll's entries
//	int-send-skip         one op's consecutive sends to a key are not adjacent
//
// # Modes and tolerated anomalies
//
// Which anomalies a correct system may show depends on the consumer mode, and
// they are reported in Result.Note, never hidden (DESIGN.md):
//
//	mode       tolerated (in the Note, verdict unaffected)
//	assign     int-send-skip
//	subscribe  int-send-skip, poll-skip, nonmonotonic-poll
//
// An assign or subscribe that did not fail, a crash, and any info op (after
// which Jepsen gives the thread a new process) reset the process's expected
// positions for every key; a key named in an op's rebalance list is reset
// for polls and exempt from the int-poll checks of that op.
//
// unseen needs the end of the history: it invalidates only with
// Options.FinalPolls (the run ended by polling every key to its end), is
// noted otherwise, and is unknown when the history's last line was cut off.
package logcheck
