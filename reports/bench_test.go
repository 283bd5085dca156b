package reports

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkRender100kOps renders a synthetic 100k-op run (history, trace
// and results, see writeSynthRun) and reports the time of one Render and
// the size of report.html. Run it with
//
//	go test ./reports/ -run '^$' -bench Render100k -benchtime=1x
func BenchmarkRender100kOps(b *testing.B) {
	dir := b.TempDir()
	start := time.Now()
	writeSynthRun(b, dir, 100_000, 7)
	hst, _ := os.Stat(filepath.Join(dir, HistoryFile))
	tst, _ := os.Stat(filepath.Join(dir, TraceFile))
	b.Logf("generated in %v: history.jsonl %.1f MB, trace.ndjson %.1f MB", time.Since(start).Round(time.Millisecond),
		float64(hst.Size())/(1<<20), float64(tst.Size())/(1<<20))
	renders := 0
	for b.Loop() { // b.Loop times only the loop: generating the run is not measured
		if err := Render(dir); err != nil {
			b.Fatal(err)
		}
		renders++
	}
	b.StopTimer()
	st, err := os.Stat(filepath.Join(dir, HTMLFile))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(renders), "ms/render")
	b.ReportMetric(float64(st.Size())/(1<<20), "MB")
}
