package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Command is the command line that reruns the same simulation.
func (o Options) Command() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jepsen-lite run --seed %d", o.Seed)
	if o.Bus == "kafka" {
		b.WriteString(" --bus kafka")
		if len(o.Brokers) > 0 {
			fmt.Fprintf(&b, " --brokers %s", strings.Join(o.Brokers, ","))
		}
	}
	if o.Schedule != nil {
		spec := faults.Format(o.Schedule)
		if spec == "" {
			spec = "none"
		}
		fmt.Fprintf(&b, " --faults '%s'", spec)
	} else {
		fmt.Fprintf(&b, " --nemesis %s", FaultList(o.Nemesis))
	}
	d := DefaultOptions().Workload
	if o.Bus == "kafka" {
		d.Ops = KafkaOps
	}
	if o.Workload.Ops != d.Ops {
		fmt.Fprintf(&b, " --ops %d", o.Workload.Ops)
	}
	if o.TimeLimit > 0 {
		fmt.Fprintf(&b, " --time-limit %v", o.TimeLimit)
	}
	if o.Workload.Concurrency != d.Concurrency {
		fmt.Fprintf(&b, " --concurrency %d", o.Workload.Concurrency)
	}
	if o.Workload.SKUs != d.SKUs {
		fmt.Fprintf(&b, " --skus %d", o.Workload.SKUs)
	}
	if o.Workload.Customers != d.Customers {
		fmt.Fprintf(&b, " --customers %d", o.Workload.Customers)
	}
	if o.Workload.Dist != d.Dist {
		fmt.Fprintf(&b, " --dist %s", o.Workload.Dist)
	}
	if o.Bug != "" {
		fmt.Fprintf(&b, " --bug %s", o.Bug)
	}
	return b.String()
}

// FaultList writes a fault list as --nemesis takes it.
func FaultList(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	if slices.Equal(xs, vocab.Faults) {
		return "all"
	}
	return strings.Join(xs, ",")
}
