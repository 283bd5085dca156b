package services

import (
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Account is the payment aggregate: a customer's balance and the charges not refunded.
type Account struct {
	Balance int            `json:"balance"`
	Charged map[string]int `json:"charged,omitempty"` // order -> amount charged and not refunded
}

// NewAccount is the state of an account with no events.
func NewAccount() *Account { return &Account{Charged: map[string]int{}} }

// Apply evolves the account by one of its events.
func (a *Account) Apply(typ string, d Data) {
	switch typ {
	case vocab.AccountCredited:
		a.Balance += d.Amount
	case vocab.PaymentCharged:
		a.Balance -= d.Amount
		a.Charged[d.Order] += d.Amount
	case vocab.PaymentRefunded:
		a.Balance += d.Amount
		a.Charged[d.Order] -= d.Amount
		if a.Charged[d.Order] <= 0 {
			delete(a.Charged, d.Order)
		}
	}
}

// Deposit decides a deposit command.
func Deposit(customer string, amount int) (Emit, error) {
	if !customerKey.MatchString(customer) {
		return Emit{}, &InvalidError{fmt.Sprintf("customer %q is not c-<n>", customer)}
	}
	if amount < 1 || amount > AmountMax {
		return Emit{}, &InvalidError{fmt.Sprintf("amount %d not in 1..%d", amount, AmountMax)}
	}
	return Emit{vocab.AccountCredited, Data{Customer: customer, Amount: amount}}, nil
}

// Payment is the payment service's core.
type Payment struct{}

// Target names the account stream an order event concerns, "" if none.
func (Payment) Target(typ string, d Data) string {
	switch typ {
	case vocab.OrderReserved, vocab.OrderCancelled:
		return AccountStream(d.Customer)
	}
	return ""
}

// React decides the payment's events: charge a reserved order, refund a
// cancelled one that was charged. Charging trusts the dedup record.
func (Payment) React(a *Account, typ string, d Data) []Emit {
	pd := Data{Order: d.Order, Customer: d.Customer, Amount: d.Amount}
	switch typ {
	case vocab.OrderReserved:
		if a.Balance >= d.Amount {
			return []Emit{{vocab.PaymentCharged, pd}}
		}
		pd.Reason = "insufficient-funds"
		return []Emit{{vocab.PaymentDeclined, pd}}
	case vocab.OrderCancelled:
		if amt := a.Charged[d.Order]; amt > 0 {
			pd.Amount = amt
			return []Emit{{vocab.PaymentRefunded, pd}}
		}
	}
	return nil
}
