package server_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// bigPDF writes a PDF of about 20 MB of text pages to dir, the word
// lastWord only on its last page, and returns its path.
func bigPDF(b *testing.B, dir, lastWord string) string {
	b.Helper()
	words := strings.Fields("customer reference program analytics platform migration reduced reporting time across regional teams while security reviews passed quarterly")
	pages := make([]string, 0, 2300)
	var page strings.Builder
	for p := 0; p < cap(pages); p++ {
		page.Reset()
		for l := 0; l < 60; l++ {
			for w := 0; w < 12; w++ {
				fmt.Fprintf(&page, "%s%d ", words[(p*7+l*3+w)%len(words)], (p*60+l)%997)
			}
			page.WriteString("\n")
		}
		pages = append(pages, page.String())
	}
	pages[len(pages)-1] += "The last page names " + lastWord + ".\n"
	path := filepath.Join(dir, "big.pdf")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := testutil.PDF(f, pages); err != nil {
		b.Fatal(err)
	}
	return path
}

// heapInUse is the heap in use now, as heapPeak measures it.
func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkUpload20MBPDF uploads a 20 MB PDF through the real HTTP handler
// (POST /api/v1/content/{id}/file, the body streamed from disk) and waits
// until the content index finds the item by a word from the last page.
// Budget: findable within 5 s; the upload never holds the file in memory
// (peak heap growth during the upload well under the file's size).
func BenchmarkUpload20MBPDF(b *testing.B) {
	for _, e := range testutil.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			db := testutil.OpenDB(b, e)
			srv := newServer(b, db, "127.0.0.1:0")
			if err := srv.Listen(); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ctx) }()
			b.Cleanup(func() { cancel(); <-served })
			admin := testutil.CreateUser(b, db, "admin@example.com", vouch.RoleAdmin)
			token := testutil.Token(b, db, admin)
			actx := vouch.WithActor(context.Background(), vouch.UserActor(admin))
			path := bigPDF(b, b.TempDir(), "zanzibarquokka")
			st, _ := os.Stat(path)
			var uploadMS, findMS, cpuMS, heapMB, extractHeapMB float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				item, err := srv.Content().Create(actx, vouch.ContentInput{Type: ptr("case study"), Title: ptr(fmt.Sprintf("Big %d", i))})
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				base := heapInUse()
				b.StartTimer()
				start, cpuStart := time.Now(), cpuTime()
				stop := make(chan struct{})
				peakOf := heapPeak(stop)
				status := upload(b, "http://"+srv.Addr(), token, item.ID, path)
				close(stop)
				peak := <-peakOf
				uploaded := time.Since(start)
				if status != http.StatusOK {
					b.Fatalf("upload: %d", status)
				}
				stop = make(chan struct{})
				peakOf = heapPeak(stop)
				for polls := 1; !found(srv.Library(), "zanzibarquokka", item.ID); polls++ {
					if polls%100 == 0 {
						if got, _ := srv.Content().Item(actx, item.ID); got.TextStatus == vouch.TextUnreadable {
							b.Fatalf("unreadable: %s", got.TextReason)
						}
					}
					if time.Since(start) > time.Minute {
						b.Fatal("not findable after a minute")
					}
					time.Sleep(5 * time.Millisecond)
				}
				findable, cpu := time.Since(start), cpuTime()-cpuStart
				close(stop)
				extractPeak := <-peakOf
				b.StopTimer()
				uploadMS += float64(uploaded.Milliseconds())
				findMS += float64(findable.Milliseconds())
				cpuMS += float64(cpu.Milliseconds())
				heapMB = max(heapMB, float64(peak-min(peak, base))/(1<<20))
				extractHeapMB = max(extractHeapMB, float64(extractPeak-min(extractPeak, base))/(1<<20))
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			b.ReportMetric(uploadMS/float64(b.N), "upload-ms")
			b.ReportMetric(findMS/float64(b.N), "findable-ms")
			b.ReportMetric(cpuMS/float64(b.N), "cpu-ms")
			b.ReportMetric(heapMB, "upload-heap-MB")
			b.ReportMetric(extractHeapMB, "extract-heap-MB")
		})
	}
}

// cpuTime is the CPU time this process has used, user and system: the
// work an upload costs whatever else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// upload streams the file at path as item id's file, never reading it
// into memory, and returns the status.
func upload(b *testing.B, base, token string, id int64, path string) int {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		defer f.Close()
		fw, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(fw, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/content/%d/file", base, id), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func found(ix *contentindex.Index, word string, id int64) bool {
	for _, h := range ix.Search(contentindex.Query{Text: word, Manage: true, Limit: -1}).Items {
		if h.Item.ID == id {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
