package jepsen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// BenchmarkKnossosFixture reads and judges Knossos' largest copied history
// (746 ops) as `check --format jepsen-edn` does.
func BenchmarkKnossosFixture(b *testing.B) {
	data, err := os.ReadFile("testdata/knossos/cas-register/bad/mongodb-v0-ack-rollback-6.edn")
	if err != nil {
		b.Fatal(err)
	}
	benchCheck(b, data, Options{Model: ModelCASRegister, Initial: "0"}, verdict.Invalid)
}

// BenchmarkIndependentHistory reads and judges a generated jepsen.independent
// cas-register history of 100,000 records over 1,000 keys, one line per
// record with :index and :time, as Jepsen writes history.edn.
func BenchmarkIndependentHistory(b *testing.B) {
	benchCheck(b, keyedRegisterHistory(100_000, 1000, 1), Options{Model: ModelCASRegister, Initial: "0", Independent: true}, verdict.Valid)
}

func benchCheck(b *testing.B, data []byte, opts Options, want verdict.Validity) {
	records := 0
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		h, err := Read(bytes.NewReader(data), "bench.edn")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Check(h, opts)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Result.Valid != want {
			b.Fatalf("verdict %s, want %s", rep.Result.Valid, want)
		}
		records = len(h.Ops)
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// keyedRegisterHistory generates a linearizable independent history: each
// key's ops run one at a time against a true register (reads return its
// value, a cas succeeds when it matches, else fails), keys interleaved at
// random, 30 processes per key.
func keyedRegisterHistory(records, keys int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	values := make([]int, keys)
	var b bytes.Buffer
	for i := 0; i+1 < records; i += 2 {
		k := rng.IntN(keys)
		p := k*30 + rng.IntN(30)
		var inv, comp string
		switch rng.IntN(3) {
		case 0:
			inv = fmt.Sprintf(":f :read, :value [%d nil]", k)
			comp = fmt.Sprintf(":type :ok, :f :read, :value [%d %d]", k, values[k])
		case 1:
			v := rng.IntN(5)
			values[k] = v
			inv = fmt.Sprintf(":f :write, :value [%d %d]", k, v)
			comp = ":type :ok, " + inv
		default:
			from, to := rng.IntN(5), rng.IntN(5)
			inv = fmt.Sprintf(":f :cas, :value [%d [%d %d]]", k, from, to)
			if values[k] == from {
				values[k] = to
				comp = ":type :ok, " + inv
			} else {
				comp = ":type :fail, " + inv
			}
		}
		fmt.Fprintf(&b, "{:index %d, :time %d, :type :invoke, :process %d, %s}\n", i, i*1000, p, inv)
		fmt.Fprintf(&b, "{:index %d, :time %d, :process %d, %s}\n", i+1, i*1000+500, p, comp)
	}
	return b.Bytes()
}
