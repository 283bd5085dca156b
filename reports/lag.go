package reports

import (
	"slices"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// lagSeries is one service's consumer lag per bucket: the records published
// on the topics it consumes that it has not committed yet, summed over
// partitions. It is the largest lag seen in the bucket, so a spike shorter
// than a bucket still shows.
type lagSeries struct {
	Service string
	Values  []float64
}

// partition names one topic partition.
type partition struct {
	topic string
	n     int
}

// consumerLag approximates each service's lag from the trace alone: the
// log end of a partition is one past the highest offset published to it;
// a commit's offset is the next record the service will read. A service
// consumes the topics vocab.Subscriptions gives it and any topic it is seen
// committing on (so an unknown node or a new subscription still shows).
func consumerLag(events []trace.Event, tl timeline) []lagSeries {
	subs := subscribers(events)
	services := lagServices(subs)
	idx := map[string]int{}
	for i, s := range services {
		idx[s] = i
	}
	end := map[partition]int64{}
	committed := map[string]map[partition]int64{}
	lag := make([]float64, len(services))
	out := make([]lagSeries, len(services))
	ends := make([][]float64, len(services)) // lag at the end of each bucket
	touched := make([][]bool, len(services))
	for i, s := range services {
		out[i] = lagSeries{Service: s, Values: make([]float64, tl.n)}
		ends[i] = make([]float64, tl.n)
		touched[i] = make([]bool, tl.n)
		committed[s] = map[partition]int64{}
	}
	note := func(i, b int) {
		if !touched[i][b] || lag[i] > out[i].Values[b] {
			out[i].Values[b] = lag[i]
		}
		touched[i][b] = true
		ends[i][b] = lag[i]
	}
	for k := range events {
		e := &events[k]
		p := partition{e.Topic, e.Partition}
		switch e.Kind {
		case trace.KindPublish:
			if e.Offset+1 <= end[p] {
				continue
			}
			d := float64(e.Offset + 1 - end[p])
			end[p] = e.Offset + 1
			for _, s := range subs[e.Topic] {
				lag[idx[s]] += d
				note(idx[s], tl.bucket(e.Time))
			}
		case trace.KindCommit:
			i, ok := idx[e.Node]
			if !ok {
				continue
			}
			lag[i] -= float64(e.Offset - committed[e.Node][p])
			committed[e.Node][p] = e.Offset
			note(i, tl.bucket(e.Time))
		}
	}
	for i := range out {
		carry(out[i].Values, ends[i], touched[i])
	}
	return out
}

// carry completes the per-bucket peaks: a gauge keeps its value until an
// event changes it, so a bucket without events holds the lag the bucket
// before ended with, and a bucket with events also counts the lag it began with.
func carry(peaks, ends []float64, touched []bool) {
	for b := 1; b < len(peaks); b++ {
		if !touched[b] {
			peaks[b], ends[b] = ends[b-1], ends[b-1]
			continue
		}
		peaks[b] = max(peaks[b], ends[b-1])
	}
}

// subscribers maps each topic to the services that consume it.
func subscribers(events []trace.Event) map[string][]string {
	subs := map[string][]string{}
	add := func(topic, s string) {
		if !slices.Contains(subs[topic], s) {
			subs[topic] = append(subs[topic], s)
		}
	}
	for _, s := range vocab.Services {
		for _, t := range vocab.Subscriptions[s] {
			add(t, s)
		}
	}
	for i := range events {
		if e := &events[i]; e.Kind == trace.KindCommit && e.Node != "" {
			add(e.Topic, e.Node)
		}
	}
	return subs
}

// lagServices lists the consuming services: vocab.Services first in their
// fixed order, then any other node alphabetically (never a map's order).
func lagServices(subs map[string][]string) []string {
	var extra []string
	for _, ss := range subs {
		for _, s := range ss {
			if !vocab.Known(vocab.Services, s) && !slices.Contains(extra, s) {
				extra = append(extra, s)
			}
		}
	}
	slices.Sort(extra)
	var out []string
	for _, s := range vocab.Services {
		for _, ss := range subs {
			if slices.Contains(ss, s) {
				out = append(out, s)
				break
			}
		}
	}
	return append(out, extra...)
}
