// Package replay turns a counterexample of the formal model into a
// simulator run that reproduces it in the implementation: the TLC
// counterexample (-dumpTrace json, kept in spec/golden/tlc.json as
// formal.Check.Trace) of a bug config becomes a Schedule — the client ops
// in the counterexample's order, the fault windows its fault steps call
// for, the initial stock and balance — which Run executes on the
// simulator with that bug switch and judges with every checker of a run.
//
// It sits after formal/ (the counterexamples) and replay/cex (which reads
// them back into model/saga, TLC's and mCRL2's: FromTLC, FromMCRL2) and
// drives harness/ with workloads' fixed-script main phase
// (workloads.Config.Script).
//
// # From model steps to simulator events (docs/REPLAY.md)
//
//   - Client actions become ops of one client process, invoked in the
//     counterexample's order: Place → place, CancelDecide → cancel (its
//     CancelAppend is the same op's append), ReadStrong → read-strong.
//   - System steps are not scheduled; the simulator takes them by itself:
//     Deliver (deliver + handle + commit, one atomic model step), the
//     orders consumer's OrdersDecide/OrdersAppend, Flush. They only advance
//     the expected time, so that later ops and faults land after them.
//   - Faults become windows: CrashOrders → crash@orders, CrashAfterCommit(c)
//     → crash@c (between c's commit on receipt and its handling),
//     Duplicate(c, id) → duplicate@c while id is fetched, Partition/Heal(c)
//     → partition@c, and a Deliver that takes an event before an earlier
//     version of its stream (the model's bus is a set) → reorder@c.
//
// The model's steps carry no time: each is given about what its simulator
// counterpart takes, and the seed varies the latencies and the duplicate
// coin under the schedule; Run tries seeds in order and reports how many it
// needed.
package replay
