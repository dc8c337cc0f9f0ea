package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// signInAll posts n wrong-password sign-ins at once (email(i) for the i-th)
// and counts the answers by status.
func signInAll(t *testing.T, s *testutil.Server, n int, email func(i int) string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			form := url.Values{"email": {email(i)}, "password": {"wrong password"}}
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Error(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			mu.Lock()
			got[resp.StatusCode]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return got
}

// Simultaneous wrong passwords cannot outrun the limit: at most 5 per email
// and 20 per address are checked, the rest are refused before their password is.
func TestLoginThrottleConcurrent(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e)+"/email", func(t *testing.T) {
			s := testutil.StartServer(t, e)
			testutil.CreateUser(t, s.DB, "target@example.com", vouch.RoleSeller)
			got := signInAll(t, s, 30, func(int) string { return "target@example.com" })
			if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 25 {
				t.Errorf("answers %v; want 5 × 401 and 25 × 429", got)
			}
			// The right password is refused too until the window passes.
			form := url.Values{"email": {"target@example.com"}, "password": {testutil.Password}}
			resp, err := http.PostForm(s.URL+"/login", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("right password after the limit: %d, want 429", resp.StatusCode)
			}
		})
		t.Run(string(e)+"/address", func(t *testing.T) {
			s := testutil.StartServer(t, e)
			got := signInAll(t, s, 30, func(i int) string { return fmt.Sprintf("user%d@example.com", i) })
			if got[http.StatusUnauthorized] != 20 || got[http.StatusTooManyRequests] != 10 {
				t.Errorf("answers %v; want 20 × 401 and 10 × 429", got)
			}
		})
	}
}
