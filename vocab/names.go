package vocab

// Client operation names (the "f" of a history op).
const (
	FPlace          = "place"
	FCancel         = "cancel"
	FReadStrong     = "read-strong"
	FReadProjection = "read-projection"
	FRestock        = "restock"
	FReadStock      = "read-stock"   // final phase: strong read of a SKU's stock
	FReadBalance    = "read-balance" // final phase: strong read of an account's balance
	FDeposit        = "deposit"      // setup phase: credit an account
	FNemesis        = "nemesis"      // a fault window edge, process NemesisProcess
)

// The final phase marker: a nemesis op with Value.Fault == MarkFinal, written
// after every fault is healed and the system was waited on. Its Edge is
// EdgeQuiescent when the system went quiet within the bound, EdgeTimeout when
// it did not. Every client op after it is a final read.
const (
	MarkFinal     = "final-reads"
	EdgeQuiescent = "quiescent"
	EdgeTimeout   = "timeout"
	EdgeStart     = "start"
	EdgeStop      = "stop"
)

// Errors of failed ops (the "error" of a fail completion).
const (
	ErrNotFound       = "not-found"
	ErrNotCancellable = "not-cancellable"
	ErrInvalid        = "invalid" // prefix: the command was rejected by validation and wrote nothing
	ErrDuplicateID    = "duplicate-id"
)

// NemesisProcess is the process number of nemesis ops in a history.
const NemesisProcess = -1

// Op outcome types, as in Jepsen.
const (
	TypeInvoke = "invoke"
	TypeOK     = "ok"
	TypeFail   = "fail"
	TypeInfo   = "info" // outcome unknown
)

// Bug switches (DESIGN.md, contract).
const (
	BugNoDedup             = "no-dedup"
	BugNoCompensation      = "no-compensation"
	BugNoOCC               = "no-occ"
	BugStaleRead           = "stale-read"
	BugAckBeforePersist    = "ack-before-persist"
	BugCommitBeforeProcess = "commit-before-process"
	BugUnorderedApply      = "unordered-apply"
)

// Bugs lists every bug switch in a fixed order.
var Bugs = []string{BugNoDedup, BugNoCompensation, BugNoOCC, BugStaleRead,
	BugAckBeforePersist, BugCommitBeforeProcess, BugUnorderedApply}

// ExpectedAnomalies names, per bug, the anomaly types any one of which
// catches it (DESIGN.md table).
var ExpectedAnomalies = map[string][]string{
	BugNoDedup:             {AnomalyDuplicateEffect},
	BugNoCompensation:      {AnomalyInventoryLeak},
	BugNoOCC:               {AnomalyConflictingTerminal, AnomalyNonlinearizable},
	BugStaleRead:           {AnomalyNonlinearizable},
	BugAckBeforePersist:    {AnomalyLostCommand},
	BugCommitBeforeProcess: {AnomalyLostEvent, AnomalySagaStuck},
	BugUnorderedApply:      {AnomalyCausalViolation},
}

// Domain anomaly types.
const (
	AnomalyDuplicateEffect     = "duplicate-effect"
	AnomalyInventoryLeak       = "inventory-leak"
	AnomalyMoneyLeak           = "money-leak"
	AnomalyConflictingTerminal = "conflicting-terminal"
	AnomalySagaStuck           = "saga-stuck"
	AnomalyLostCommand         = "lost-command"
	AnomalyLostEvent           = "lost-event"
	AnomalyCausalViolation     = "causal-violation"
	AnomalyNonlinearizable     = "nonlinearizable"
	AnomalyStaleRead           = "stale-read"
	AnomalyProjectionDiverged  = "projection-diverged"
	AnomalyTraceRejected       = "trace-rejected" // a run's trace is no behaviour of the model (checker/tracemodel)
)

// Fault (nemesis) kinds.
const (
	FaultDuplicate = "duplicate"
	FaultReorder   = "reorder"
	FaultDelay     = "delay"
	FaultPartition = "partition"
	FaultCrash     = "crash"
)

// Faults lists every fault kind in a fixed order; "all" means these.
var Faults = []string{FaultDuplicate, FaultReorder, FaultDelay, FaultPartition, FaultCrash}

// Known reports whether name is one of list.
func Known(list []string, name string) bool {
	for _, n := range list {
		if n == name {
			return true
		}
	}
	return false
}
