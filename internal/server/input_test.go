package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// endlessForm is a multipart body of n bytes (one huge file part) that is
// generated as it is read, counting what the client sent.
type endlessForm struct {
	head, tail string
	n, sent    int64
	read       atomic.Int64
}

const boundary = "vouchtestboundary"

func newEndlessForm(n int64) *endlessForm {
	return &endlessForm{n: n,
		head: "--" + boundary + "\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx@example.com\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n",
		tail: "\r\n--" + boundary + "--\r\n"}
}

func (f *endlessForm) Read(p []byte) (int, error) {
	if f.sent >= f.n {
		return 0, io.EOF
	}
	n := int64(len(p))
	if rest := f.n - f.sent; n > rest {
		n = rest
	}
	for i := range p[:n] {
		switch off := f.sent + int64(i); {
		case off < int64(len(f.head)):
			p[i] = f.head[off]
		case off >= f.n-int64(len(f.tail)):
			p[i] = f.tail[off-(f.n-int64(len(f.tail)))]
		default:
			p[i] = 'a'
		}
	}
	f.sent += n
	f.read.Add(n)
	return int(n), nil
}

// postEndless posts body as a multipart form over a connection of its own,
// reading the answer while the body is still being written: a server that
// refuses early closes the connection on the writer, and an HTTP client
// would report that write error rather than the answer.
func postEndless(target string, body *endlessForm, declared bool) (*http.Response, error) {
	u, _ := url.Parse(target)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	head := "POST " + u.Path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\n"
	if declared {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", body.n)
	} else {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	}
	go func() {
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		var w io.Writer = conn
		if !declared {
			w = httputil.NewChunkedWriter(conn)
		}
		_, _ = io.Copy(w, body) // ends with an error once the server hangs up
	}()
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(page))
	return resp, err
}

// heapPeak samples the heap in use until stop is closed and returns its peak.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var m runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// An anonymous 100 MB sign-in is refused with 413 at once, whether it
// declares its length or not, reading a small part of it and holding no more
// in memory than the limit.
func TestHugeFormRefusedQuickly(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("declared length %v", declared), func(t *testing.T) {
			const size = 100 << 20
			body := newEndlessForm(size)
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := make(chan struct{})
			peak := heapPeak(stop)
			start := time.Now()
			resp, err := postEndless(s.URL+"/login", body, declared)
			took := time.Since(start)
			close(stop)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413\n%s", resp.StatusCode, page)
			}
			if !strings.Contains(string(page), "larger than 256 KiB") {
				t.Errorf("the page does not name the limit:\n%s", page)
			}
			if took > 5*time.Second {
				t.Errorf("took %v to refuse", took)
			}
			// The client may have pushed some socket buffers' worth before the
			// server closed the connection; never the whole body.
			if n := body.read.Load(); n > 16<<20 {
				t.Errorf("the client sent %d MB before the refusal", n>>20)
			}
			if grew := int64(<-peak) - int64(before.HeapInuse); grew > 16<<20 {
				t.Errorf("the heap grew by %d MB while refusing", grew>>20)
			}
		})
	}
}

// apiDo sends an API request with token and returns the status and the error body.
func apiDo(t *testing.T, method, target, token, contentType string, body io.Reader, length int64) (int, errorBody) {
	t.Helper()
	req, _ := http.NewRequest(method, target, body)
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatalf("%s %s: %d with a body that is not JSON: %v", method, target, resp.StatusCode, err)
	}
	return resp.StatusCode, e
}

type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// A JSON body over 1 MiB gets 413 naming the limit, not "not valid JSON".
func TestLargeJSONRefused(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	token := testutil.Token(t, s.DB, testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager))
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, length := range []int64{int64(len(big)), -1} {
		status, e := apiDo(t, http.MethodPost, s.URL+"/api/v1/references", token, "application/json", strings.NewReader(big), length)
		if status != http.StatusRequestEntityTooLarge || e.Error.Code != "too_large" || !strings.Contains(e.Error.Message, "1 MiB") {
			t.Errorf("length %d: %d %+v, want 413 too_large naming 1 MiB", length, status, e.Error)
		}
	}
}

// NUL bytes, invalid UTF-8 and control characters get 400 naming the field,
// on both engines and both edges, and change nothing.
func TestControlCharactersRefused(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			s := testutil.StartServer(t, e)
			pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleAdmin)
			token := testutil.Token(t, s.DB, pm)
			// The account exists, so only the refused text stands in the way.
			if status, e := apiDo(t, http.MethodPost, s.URL+"/api/v1/accounts", token, "application/json", strings.NewReader(`{"name":"Acme"}`), -1); status != http.StatusCreated {
				t.Fatalf("account: %d %+v", status, e)
			}

			for _, c := range []struct{ body, field string }{
				{`{"name":"a\u0000b","account":"Acme"}`, "name"},
				{`{"name":"Jo Park","account":"Acme\u001b[2J"}`, "account"},
				{"{\"name\":\"Jo \xff Park\",\"account\":\"Acme\"}", "name"},
				{`{"name":"Jo Park","account":"Acme","story":"line\u0000"}`, "story"},
			} {
				status, body := apiDo(t, http.MethodPost, s.URL+"/api/v1/references", token, "application/json", strings.NewReader(c.body), int64(len(c.body)))
				if status != http.StatusBadRequest || body.Error.Fields[c.field] == "" {
					t.Errorf("POST /api/v1/references %s: %d %+v, want 400 naming %s", c.body, status, body.Error, c.field)
				}
			}
			for _, c := range []struct{ path, field string }{
				{"/api/v1/references?q=a%00b", "q"},
				{"/api/v1/accounts?q=%00", "q"},
				{"/api/v1/opportunities?owner=%00", "owner"},
				{"/api/v1/audit?entity_type=reference%00", "entity_type"},
				{"/api/v1/audit?action=%1b", "action"},
				{"/api/v1/references?q=%ff", "q"},
			} {
				status, body := apiDo(t, http.MethodGet, s.URL+c.path, token, "", nil, 0)
				if status != http.StatusBadRequest || body.Error.Fields[c.field] == "" {
					t.Errorf("GET %s: %d %+v, want 400 naming %s", c.path, status, body.Error, c.field)
				}
			}

			b := testutil.Login(t, s, "pam@example.com")
			for _, c := range []struct{ path, want string }{
				{"/references?q=a%00b", "The search contains a control character"},
				{"/references?owner=%00", "Owner contains a control character"},
				{"/accounts?q=%00", "The search contains a control character"},
				{"/admin/audit?entity_type=%00", "Entity type contains a control character"},
				{"/admin/audit?action=%00", "Action contains a control character"},
			} {
				resp, page := b.Get(c.path)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, c.want) {
					t.Errorf("GET %s: %d, want 400 saying %q\n%s", c.path, resp.StatusCode, c.want, page)
				}
			}
			b.Get("/admin/users")
			resp, page := b.PostForm("/admin/users", url.Values{"email": {"eve@example.com"}, "name": {"\x1b[2J\x1b[HEve"},
				"role": {"viewer"}, "password": {"a long enough password"}})
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Name contains a control character") {
				t.Errorf("user named with an escape sequence: %d\n%s", resp.StatusCode, page)
			}
			if _, err := s.DB.UserByEmail(ctx, "eve@example.com"); vouch.ErrorCode(err) != vouch.ENOTFOUND {
				t.Errorf("the user was created anyway (err %v)", err)
			}
			form := url.Values{"email": {"pam\x00@example.com"}, "password": {"x"}}
			resp, err := http.PostForm(s.URL+"/login", form)
			if err != nil {
				t.Fatal(err)
			}
			page2, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page2), "Email contains a control character") {
				t.Errorf("sign-in with NUL in the email: %d\n%s", resp.StatusCode, page2)
			}

			n, err := s.DB.CountReferences(ctx)
			if err != nil || n != 0 {
				t.Errorf("%d references after refused input (err %v), want 0", n, err)
			}
		})
	}
}

// Tabs and line breaks stay welcome in long text.
func TestLongTextKeepsLineBreaks(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	token := testutil.Token(t, s.DB, testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager))
	if status, e := apiDo(t, http.MethodPost, s.URL+"/api/v1/accounts", token, "application/json", strings.NewReader(`{"name":"Acme"}`), -1); status != http.StatusCreated {
		t.Fatalf("account: %d %+v", status, e)
	}
	body := `{"name":"Jo Park","account":"Acme","story":"First line.\r\n\tSecond line."}`
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/references", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("story with line breaks: %d %s", resp.StatusCode, page)
	}
}

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// Each kind of route has its limit, and a larger declared body is refused
// naming it, before authentication and before a byte is read.
func TestBodyLimitsByRoute(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	for _, c := range []struct {
		path string
		size int64
		want string
	}{
		{"/references/import", 22 << 20, "The upload is larger than 21 MiB"},
		{"/references/import/abc/check", 300 << 10, "larger than 256 KiB"},
		{"/a/some-token", 100 << 10, "larger than 64 KiB"},
		{"/f/some-token", 100 << 10, "larger than 64 KiB"},
		{"/login", 300 << 10, "larger than 256 KiB"},
		{"/api/v1/references", 2 << 20, `"code":"too_large","message":"The request body is larger than 1 MiB`},
		// A new content item and an approval may carry a file: the upload limit (50 MB by default).
		{"/content/new", 51 << 20, "The file is larger than the 50 MB limit"},
		{"/content/7/state", 51 << 20, "The file is larger than the 50 MB limit"},
		{"/content/7/edit", 300 << 10, "larger than 256 KiB"},
	} {
		body := newEndlessForm(c.size)
		resp, err := postEndless(s.URL+c.path, body, true)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		page, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), c.want) {
			t.Errorf("%s with %d bytes: %d, want 413 saying %q\n%s", c.path, c.size, resp.StatusCode, c.want, page)
		}
	}
}
