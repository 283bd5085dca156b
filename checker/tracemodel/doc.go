// Package tracemodel validates a run's trace (trace.ndjson, with the
// history for acknowledgements and strong reads) against model/saga, the Go
// rendition of spec/tla/OrderSaga.tla: every order's part of the trace must
// be a behaviour of the model. The first step the model cannot take is an
// anomaly trace-rejected naming the trace event (index, kind, ref). It sits
// in checker/ (harness.Checkers runs it on every simulator and Kafka run)
// and writes the projected traces that spec/tla/trace/OrderSagaTrace.tla
// validates with TLC (formal/tracetlc), so both tools judge the same steps.
//
// # The abstraction (as etcd-io/raft's and CCF's trace validation do)
//
// The model has one order, one SKU, one customer, one qty and one price;
// the implementation has many of each and internal steps the model folds.
// A trace is mapped onto the model as follows (Project, Validate):
//
//   - Per order. Every stored event carries its order (correlation id);
//     each order's events form one projected trace, validated against the
//     model with Orders = {that order}, Qty and Amount = the order's (as
//     the services wrote them), StockInit/BalanceInit = 0..k multiples of
//     them (k = the order's inventory / payment decisions) and fault
//     budgets no smaller than the trace's own. Restocks and deposits (no
//     order) are the setup phase: the initial stock and balance.
//   - Model ids and streams. The order's stored events get model ids 1, 2,
//     … in store order; its order-o and ship-o streams keep their names
//     and versions; every SKU stream (and the inventory's dead-letter
//     stream) is the model's sku-s-1, every account acct-c-1, versions
//     renumbered among the order's own events. Causation ev-N becomes the
//     cause's model id; a command's (op-N) is 0.
//   - Shared streams. Other orders' reservations, charges, restocks are not
//     in the projection, so before an inventory decision on OrderPlaced (a
//     payment decision on OrderReserved) the environment may move the
//     model's initial stock (balance) to any value of StockInit
//     (BalanceInit): the decision itself is the nondeterminism. A delivery
//     the implementation left deferred at the end behind an event the
//     model does not send that consumer (another order's on a shared
//     stream, or a type it does not react to) is not the order's to finish.
//   - Logged steps. An append by the orders node for a place command is
//     Place (or Flush when it was acknowledged first: ack-before-persist;
//     the acknowledgement is then the Place step); an append of
//     OrderCancelled for a cancel is CancelAppend; an append by a consumer
//     for a delivered event, or a consumer's handle outcome applied /
//     duplicate / dlq with no append, is the consumer's handling: Deliver
//     (inventory, payment, shipping, projector) or OrdersAppend /
//     OrdersDecide (orders), preceded by Duplicate when the model has
//     already taken the event off that consumer's bus (a redelivery). The
//     events each step appends must be exactly the model's (type, stream,
//     version, cause, qty/amount). A crash of a node is CrashOrders when
//     the orders node had volatile state, and may lose deliveries in
//     flight (CrashAfterCommit: only the commit-before-process model has
//     it).
//   - Stutter. publish (the outbox relay is folded into the append),
//     deliver (the model's bus already holds the event), commit (folded
//     into the handling), handle deferred / retry, conflict, dlq, restart,
//     fault, snapshot, and every event of a type the model does not send
//     that consumer (the implementation handles it with no effect).
//     Partitions are not modelled: a partition only delays deliveries,
//     which the model's bus allows anyway.
//   - Unlogged steps. Between logged steps the model may take steps the
//     trace does not show, none of which changes the store: a cancel's
//     decision and its re-decision after a conflict, the orders consumer's
//     decision and a decision dropped on a conflict, and a strong read
//     whose window is open. A strong read (from the history, ok, of an
//     order already acknowledged) must take effect between its invoke and
//     its completion, with the status the client got (ReadStrong; with the
//     stale-read bug the model reads the projection).
//   - The end. When the final phase began quiescent the model must be able
//     to stop where the trace ends: some reached state is Quiet.
//
// Nondeterminism is handled by keeping the set of model states the trace
// may have led to (all initial states first), as TLC does with a trace
// spec. An order whose events cannot be projected (an event of an unknown
// stream, a cause outside the order) or whose model states exceed a bound
// is unknown, never accepted; so is an order with two stored cancels (the
// model's client cancels an order once; only no-occ stores two).
package tracemodel
