// Package saga is the protocol of spec/tla/OrderSaga.tla as a pure Go state
// machine: the same variables (State's fields), the same actions (one func
// per TLA+ action, same name, e.g. DeliverEv, OrdersAppend, CrashOrders),
// the same bug switches (Config.Bug) and the same invariants (Invariants,
// named as in TLA+). It sits beside the porcupine models of model/ and, like
// them, never imports system/: it is the independent rendition that the
// reference system's traces are validated against (checker/) and that
// crosscheck/ proves equal to TLC's state graph and branching-bisimilar to
// mCRL2's LTS.
//
// API (stable; other packages build trace validation and counterexample
// replay on it):
//
//	type Config struct{ Bug string; Orders []string; StockInit, BalanceInit []int;
//	        Qty, Amount, MaxDup, MaxCrash, MaxPartition, MaxRead int; Mutation string }
//	type State struct{ Log []Event; Handled, Bus [NumConsumers]IDSet; … } // a value
//	func (s State) Key() string   // canonical: equal states <=> equal keys
//	func (s State) TLA() string   // TLA+ value syntax, as TLC prints states
//	type Label struct{ Name string; Args []string } // Name = TLA+ action name
//	func (l Label) String() string // as mCRL2 prints the action: deliver(inventory, 3)
//	func (l Label) TLC() string    // as TLC labels the edge: Deliver, Place("o-1")
//	type Step struct{ Label Label; To State }
//	func InitStates(c Config) []State
//	func Successors(c Config, s State) []Step
//	func Apply(c Config, s State, l Label) (State, error) // one named step
//	func Violations(c Config, s State) []string // invariants false in s
//	func Explore(c Config, maxStates int) (*Graph, error) // exhaustive BFS
//	func (g *Graph) WriteAut(w io.Writer, opt AutOptions) error // Aldebaran .aut
//
// Every action func has the form Action(cfg, s, args...) (State, bool): the
// successor and whether the action is enabled; s is never modified (its
// slices are shared with the successor and never written in place).
//
// Consumers are indexed COrders … CProjector in per-consumer arrays; the
// per-order slices of a State are indexed like Config.Orders. The model is
// general in Orders although every spec/tla config has one order. Event ids
// are positions in Log, starting at 1, as in TLA+.
//
// Config.Mutation switches on a deliberate deviation from the spec (see
// Mutations) so that tests can show each cross-check fails on a wrong model.
package saga
