package checker

import (
	"fmt"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Conservation is the "conservation" checker: once every saga has ended,
// stock and money are conserved (anomalies inventory-leak and money-leak;
// the no-compensation bug). A SKU's final stock is what was restocked minus
// the quantity of its completed orders, since every other end (rejected,
// declined, cancelled) never took or gave back its reservation; an
// account's final balance is what was deposited minus the amount of its
// completed orders, likewise.
//
// An order counts by its final read-strong status whatever its place's
// outcome (ok or info): the final read says whether it took effect. A
// restock or deposit in doubt (info) may or may not have happened, so the
// final value may exceed the base by any subset sum of those; with more than
// infoSubsetsMax of them on one key the key is unknown. A key whose final
// read, or one of whose orders' final read-strong, is missing or failed, or
// one of whose orders is not terminal (the saga-termination checker's
// business) is unknown too.
type Conservation struct{}

// Name implements Checker.
func (Conservation) Name() string { return "conservation" }

// infoSubsetsMax bounds the in-doubt credits of one key whose subsets are
// enumerated (2^16 sums at most).
const infoSubsetsMax = 16

// ledger says how one kind of account reads: stock of a SKU or balance of a
// customer.
type ledger struct {
	anomaly string
	read    string // the final read's f, for Notes
	credit  string // the credit's f, for Details
	final   func(v *history.Value) *int
	amount  func(v *history.Value) int // of a credit or an order
}

var (
	stockLedger = ledger{
		anomaly: vocab.AnomalyInventoryLeak, read: vocab.FReadStock, credit: "restocked",
		final:  func(v *history.Value) *int { return v.Stock },
		amount: func(v *history.Value) int { return v.Qty },
	}
	moneyLedger = ledger{
		anomaly: vocab.AnomalyMoneyLeak, read: vocab.FReadBalance, credit: "deposited",
		final:  func(v *history.Value) *int { return v.Balance },
		amount: func(v *history.Value) int { return v.Amount },
	}
)

// Check implements Checker.
func (Conservation) Check(in *Input) Result {
	ix := indexOf(in)
	if why := ix.finalGate(in, true); why != "" {
		return unknownResult(why)
	}
	var v verdict
	checked := 0
	for _, a := range ix.skuList {
		if judgeLedger(ix, &v, a, &stockLedger) {
			checked++
		}
	}
	for _, a := range ix.custList {
		if judgeLedger(ix, &v, a, &moneyLedger) {
			checked++
		}
	}
	return v.result(countNote(checked, "SKUs and accounts checked for conservation"))
}

// judgeLedger checks one SKU or account; it returns whether it could.
func judgeLedger(ix *index, v *verdict, a *accountIx, l *ledger) bool {
	final, read, why := ledgerFinal(ix, a, l)
	if why != "" {
		v.unknownKey(a.key, why)
		return false
	}
	base, infos, why := ledgerCredits(ix, a, l)
	if why != "" {
		v.unknownKey(a.key, why)
		return false
	}
	debit, completed, why := ledgerDebits(ix, a, l)
	if why != "" {
		v.unknownKey(a.key, why)
		return false
	}
	if len(infos) > infoSubsetsMax {
		v.unknownKey(a.key, fmt.Sprintf("%d %s ops in doubt, more than %d to enumerate", len(infos), l.credit, infoSubsetsMax))
		return false
	}
	want := base - debit
	if subsetSum(infos, final-want) {
		return true
	}
	detail := fmt.Sprintf("final %s %d, expected %d = %s %d (ok) - %d for %d completed order(s)",
		l.read, final, want, l.credit, base, debit, len(completed))
	if len(completed) > 0 {
		detail += " (" + strings.Join(completed[:min(len(completed), 5)], ", ")
		if len(completed) > 5 {
			detail += ", ..."
		}
		detail += ")"
	}
	if len(infos) > 0 {
		detail += fmt.Sprintf(", plus any subset of the %s ops in doubt %v", l.credit, infos)
	}
	v.anomaly(Anomaly{Type: l.anomaly, Key: a.key, Ops: ix.callOps(nil, read), Detail: detail})
	return true
}

// ledgerFinal returns the value of the key's last ok final read.
func ledgerFinal(ix *index, a *accountIx, l *ledger) (int, call, string) {
	for i := len(a.reads) - 1; i >= 0; i-- {
		c := ix.calls[a.reads[i]]
		if c.typ != vocab.TypeOK {
			continue
		}
		if val := ix.ops[c.comp].Value; val != nil && l.final(val) != nil {
			return *l.final(val), c, ""
		}
	}
	if len(a.reads) == 0 {
		return 0, call{}, "no final " + l.read
	}
	return 0, call{}, "final " + l.read + " failed"
}

// ledgerCredits returns the sum of the ok credits and the amounts of those
// in doubt. A failed credit wrote nothing.
func ledgerCredits(ix *index, a *accountIx, l *ledger) (base int, infos []int, why string) {
	for _, ci := range a.credits {
		c := ix.calls[ci]
		if c.typ == vocab.TypeFail {
			continue
		}
		val := ix.ops[c.inv].Value
		if val == nil {
			return 0, nil, fmt.Sprintf("op %d has no value", c.inv)
		}
		if c.typ == vocab.TypeOK {
			base += l.amount(val)
		} else {
			infos = append(infos, l.amount(val))
		}
	}
	return base, infos, ""
}

// ledgerDebits returns the sum over the key's completed orders, and their keys.
func ledgerDebits(ix *index, a *accountIx, l *ledger) (debit int, completed []string, why string) {
	for _, o := range a.orders {
		switch {
		case o.ambiguous:
			return 0, nil, "order " + o.key + " was placed with different values"
		case !o.finalKnown:
			return 0, nil, "order " + o.key + " has no final read-strong"
		case o.final == vocab.StatusCompleted:
			debit += l.amount(o.val)
			completed = append(completed, o.key)
		case o.final != vocab.StatusNone && !vocab.Terminal(o.final):
			return 0, nil, "order " + o.key + " is not terminal (" + o.final + ")"
		}
	}
	return debit, completed, ""
}

// subsetSum reports whether some subset of xs sums to target. len(xs) is at
// most infoSubsetsMax, so trying all 2^len subsets is bounded.
func subsetSum(xs []int, target int) bool {
	if target == 0 {
		return true
	}
	for mask := 1; mask < 1<<len(xs); mask++ {
		sum := 0
		for i, x := range xs {
			if mask&(1<<i) != 0 {
				sum += x
			}
		}
		if sum == target {
			return true
		}
	}
	return false
}
