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
// final value may exceed the base by any subset sum of those; when their
// amounts add up to more than subsetSumMax the key is unknown. A key whose final
// read, or one of whose orders' final read-strong, is missing or failed, or
// one of whose orders is not terminal (the saga-termination checker's
// business) is unknown too.
type Conservation struct{}

// Name implements Checker.
func (Conservation) Name() string { return "conservation" }

// subsetSumMax bounds the total of the in-doubt credits of one key whose
// subset sums are computed: a bit set of subsetSumMax bits, updated once
// per credit. (Enumerating subsets would stop at about 16 credits; a long
// run with crashes has dozens of restocks in doubt per SKU.)
const subsetSumMax = 1 << 20

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
	var v propVerdict
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
func judgeLedger(ix *index, v *propVerdict, a *accountIx, l *ledger) bool {
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
	debit, nCompleted, completed, why := ledgerDebits(a, l)
	if why != "" {
		v.unknownKey(a.key, why)
		return false
	}
	want := base - debit
	switch ok, decided := subsetSum(infos, final-want); {
	case !decided:
		v.unknownKey(a.key, fmt.Sprintf("%d %s ops in doubt, adding up to more than %d", len(infos), l.credit, subsetSumMax))
		return false
	case ok:
		return true
	}
	detail := fmt.Sprintf("final %s %d, expected %d = %s %d (ok) - %d for %d completed order(s)",
		l.read, final, want, l.credit, base, debit, nCompleted)
	if nCompleted > 0 {
		detail += " (" + strings.Join(completed, ", ")
		if nCompleted > len(completed) {
			detail += ", ..."
		}
		detail += ")"
	}
	if len(infos) > 0 {
		detail += fmt.Sprintf(", plus any subset of the %d %s ops in doubt (%v)", len(infos), l.credit, infos[:min(len(infos), 10)])
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

// completedNamesMax bounds the completed orders a Detail names.
const completedNamesMax = 5

// ledgerDebits returns the sum over the key's completed orders, how many
// there are and the first few of their keys.
func ledgerDebits(a *accountIx, l *ledger) (debit, n int, completed []string, why string) {
	for _, o := range a.orders {
		switch {
		case o.ambiguous:
			return 0, 0, nil, "order " + o.key + " was placed with different values"
		case !o.finalKnown:
			return 0, 0, nil, "order " + o.key + " has no final read-strong"
		case o.final == vocab.StatusCompleted:
			debit += l.amount(o.val)
			if n++; len(completed) < completedNamesMax {
				completed = append(completed, o.key)
			}
		case o.final != vocab.StatusNone && !vocab.Terminal(o.final):
			return 0, 0, nil, "order " + o.key + " is not terminal (" + o.final + ")"
		}
	}
	return debit, n, completed, ""
}

// subsetSum reports whether some subset of xs sums to target; decided is
// false when the xs add up to more than subsetSumMax (or one is negative),
// so that the answer would cost too much.
func subsetSum(xs []int, target int) (ok, decided bool) {
	total := 0
	for _, x := range xs {
		if x < 0 || total+x > subsetSumMax {
			return false, false
		}
		total += x
	}
	if target < 0 || target > total {
		return false, true
	}
	// reach has bit s set when some subset of the credits seen sums to s.
	reach := make([]uint64, total/64+1)
	reach[0] = 1
	for _, x := range xs {
		shiftOr(reach, x)
	}
	return reach[target/64]&(1<<(target%64)) != 0, true
}

// shiftOr sets reach |= reach << x, bits beyond len(reach)*64 dropped.
func shiftOr(reach []uint64, x int) {
	words, bits := x/64, uint(x%64)
	for i := len(reach) - 1; i >= words; i-- {
		w := reach[i-words] << bits
		if bits > 0 && i-words-1 >= 0 {
			w |= reach[i-words-1] >> (64 - bits)
		}
		reach[i] |= w
	}
}
