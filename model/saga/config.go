package saga

import (
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Config holds the constants of spec/tla/OrderSaga.tla (one spec/tla/*.cfg).
type Config struct {
	// Bug is the bug switch: "none" (or "") for the correct protocol, or one
	// of vocab.Bugs.
	Bug string
	// Orders are the order keys, e.g. ["o-1"]. Every per-order variable of a
	// State is indexed like this slice.
	Orders []string
	// StockInit and BalanceInit are the possible initial stock of s-1 and
	// balance of c-1 (the setup phase); one initial state per pair.
	StockInit, BalanceInit []int
	// Qty is the units of s-1 every order takes; Amount its price.
	Qty, Amount int
	// Fault budgets (MaxDup, MaxCrash, MaxPartition) and the client's strong
	// reads per order (MaxRead).
	MaxDup, MaxCrash, MaxPartition, MaxRead int
	// Mutation, when not "", switches on a deliberate deviation from the spec
	// (one of Mutations). It exists only so that tests can show that every
	// cross-check fails on a model that differs from the spec; real configs
	// leave it empty.
	Mutation string
}

// BugNone is the Bug of the correct protocol (TLA+ "none").
const BugNone = "none"

// Mutations are the deliberate deviations a test may switch on with
// Config.Mutation, each in one action. All but known-none change which
// steps can be taken; known-none changes only a variable's value (so an
// LTS equivalence, which sees actions only, cannot notice it, and the
// state-graph equality with TLC must).
var Mutations = map[string]string{
	// InventoryReact reserves when Stock > Qty instead of Stock >= Qty.
	"inventory-strict-stock": "inventory reserves only when stock > qty (TLA+: >=)",
	// CancelDecide and CancelAppend also take "charged" as cancellable.
	"cancel-charged": "a charged order counts as cancellable",
	// Known says "none" where the client knew "placed": only the state
	// differs (readObs), no step does.
	"known-none": "a first strong read records floor none instead of placed",
	// DuplicateEv never redelivers to the projector.
	"no-projector-duplicate": "Duplicate never redelivers to the projector",
}

// Validate reports the first constant that is not allowed (the ASSUMEs of
// the spec plus what the Go model needs), naming the field.
func (c Config) Validate() error {
	if c.bug() != BugNone && !slices.Contains(vocab.Bugs, c.Bug) {
		return fmt.Errorf("saga.Config.Bug: unknown bug %q (want none or one of %v)", c.Bug, vocab.Bugs)
	}
	if len(c.Orders) == 0 {
		return fmt.Errorf("saga.Config.Orders: empty")
	}
	seen := map[string]bool{}
	for _, o := range c.Orders {
		if o == "" || seen[o] {
			return fmt.Errorf("saga.Config.Orders: empty or repeated order %q", o)
		}
		seen[o] = true
	}
	if len(c.StockInit) == 0 || len(c.BalanceInit) == 0 {
		return fmt.Errorf("saga.Config.StockInit/BalanceInit: empty (no initial state)")
	}
	for _, v := range append(slices.Clone(c.StockInit), c.BalanceInit...) {
		if v < 0 {
			return fmt.Errorf("saga.Config.StockInit/BalanceInit: %d is not a Nat", v)
		}
	}
	if c.Qty <= 0 || c.Amount <= 0 {
		return fmt.Errorf("saga.Config.Qty/Amount: must be > 0 (got %d, %d)", c.Qty, c.Amount)
	}
	if c.MaxDup < 0 || c.MaxCrash < 0 || c.MaxPartition < 0 || c.MaxRead < 0 {
		return fmt.Errorf("saga.Config: negative budget")
	}
	if _, ok := Mutations[c.Mutation]; c.Mutation != "" && !ok {
		return fmt.Errorf("saga.Config.Mutation: unknown mutation %q", c.Mutation)
	}
	return nil
}

// bug returns the bug switch, "" read as "none".
func (c Config) bug() string {
	if c.Bug == "" {
		return BugNone
	}
	return c.Bug
}

// is reports whether bug switch b is on.
func (c Config) is(b string) bool { return c.bug() == b }

// orderIndex returns o's index in Orders, -1 if it is not one.
func (c Config) orderIndex(o string) int { return slices.Index(c.Orders, o) }
