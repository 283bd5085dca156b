package crosscheck

import (
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// SagaConfig turns a spec/tla config (formal.LoadConfigs) into the Go
// model's constants, parsing each CONSTANT's TLA+ value. Errors name the cfg
// and the constant.
func SagaConfig(c formal.Config) (saga.Config, error) {
	where := c.Path
	if where == "" {
		where = c.Name
	}
	out := saga.Config{Bug: c.Bug}
	get := func(name string) (Value, error) {
		text, ok := c.Constants[name]
		if !ok {
			return Value{}, fmt.Errorf("%s: no constant %s", where, name)
		}
		v, err := ParseValue(text)
		if err != nil {
			return Value{}, fmt.Errorf("%s: constant %s: %v", where, name, err)
		}
		return v, nil
	}
	ints := []struct {
		name string
		dst  *int
	}{{"Qty", &out.Qty}, {"Amount", &out.Amount}, {"MaxDup", &out.MaxDup}, {"MaxCrash", &out.MaxCrash},
		{"MaxPartition", &out.MaxPartition}, {"MaxRead", &out.MaxRead}}
	for _, f := range ints {
		v, err := get(f.name)
		if err != nil {
			return out, err
		}
		if v.Kind != KindInt {
			return out, fmt.Errorf("%s: constant %s = %s: not an integer", where, f.name, v.Canon())
		}
		*f.dst = int(v.Int)
	}
	for _, f := range []struct {
		name string
		dst  *[]int
	}{{"StockInit", &out.StockInit}, {"BalanceInit", &out.BalanceInit}} {
		v, err := get(f.name)
		if err != nil {
			return out, err
		}
		if v.Kind != KindSet {
			return out, fmt.Errorf("%s: constant %s = %s: not a set", where, f.name, v.Canon())
		}
		for _, e := range v.Elems {
			if e.Kind != KindInt {
				return out, fmt.Errorf("%s: constant %s: %s is not an integer", where, f.name, e.Canon())
			}
			*f.dst = append(*f.dst, int(e.Int))
		}
	}
	v, err := get("Orders")
	if err != nil {
		return out, err
	}
	if v.Kind != KindSet {
		return out, fmt.Errorf("%s: constant Orders = %s: not a set", where, v.Canon())
	}
	for _, e := range v.Elems {
		if e.Kind != KindString {
			return out, fmt.Errorf("%s: constant Orders: %s is not a string", where, e.Canon())
		}
		out.Orders = append(out.Orders, e.Str)
	}
	if err := out.Validate(); err != nil {
		return out, fmt.Errorf("%s: %v", where, err)
	}
	return out, nil
}
