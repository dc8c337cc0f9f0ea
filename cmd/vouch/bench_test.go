package main

import (
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkBinaryServeReady times the real binary from exec to the first
// 200 from /healthz, on an empty SQLite data directory (budget: < 1 s):
//
//	go test -run '^$' -bench BinaryServeReady ./cmd/vouch/
func BenchmarkBinaryServeReady(b *testing.B) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		start := time.Now()
		p := serve(b, opts{}, "--addr", "127.0.0.1:0", "--data-dir", dir)
		for {
			resp, err := client.Get(p.URL + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		if code := p.stop(syscall.SIGTERM, 10*time.Second); code != 0 {
			b.Fatalf("exit %d", code)
		}
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2])/float64(time.Millisecond), "p50-ms")
	b.ReportMetric(float64(lat[int(0.95*float64(len(lat)-1))])/float64(time.Millisecond), "p95-ms")
}
