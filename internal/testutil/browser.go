package testutil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser sizes: a laptop window and a phone (iPhone X class) in portrait.
const (
	DesktopWidth, DesktopHeight = 1280, 900
	PhoneWidth, PhoneHeight     = 375, 812
)

// BrowserTimeout bounds each browser step, so that a hung page or browser
// fails one test instead of stalling the whole suite.
const BrowserTimeout = 20 * time.Second

// Chrome is one tab of a headless Chromium that a test drives. Every method
// fails the test on error, after saving a screenshot of the page.
type Chrome struct {
	t   testing.TB
	ctx context.Context // the tab; cancelled when the test ends

	mu      sync.Mutex
	console []string // errors the page logged: exceptions, console.error, CSP and network errors
}

// chromiumPath finds a Chromium or Chrome binary, or returns "".
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// NewBrowser returns a fresh headless Chromium tab with a 1280×900
// viewport, closed when the test ends. Without Chromium the test is skipped,
// except in CI, where it fails.
//
// Each test gets its own browser process, unless the package's TestMain
// runs through RunWithSharedBrowser: then tests share one process and each
// gets its own incognito-like browser context (no shared cookies or storage),
// which saves a browser start per test.
func NewBrowser(t testing.TB) *Chrome {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if InCI() {
			t.Fatal("chromium is not installed; CI must run the browser tests (.ci/run installs it)")
		}
		t.Skip("chromium is not installed; skipping the browser test")
	}
	var ctx context.Context
	var cancel context.CancelFunc
	if shared.enabled {
		parent, err := shared.browser(path)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel = chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	} else {
		var stop func()
		ctx, stop = newChromium(path)
		cancel = context.CancelFunc(stop)
	}
	t.Cleanup(cancel)
	if err := start(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	c := &Chrome{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, c.note); err != nil {
		t.Fatalf("listen to the browser: %v", err)
	}
	c.Do(chromedp.EmulateViewport(DesktopWidth, DesktopHeight))
	return c
}

// newChromium returns the context of a headless Chromium, not yet started,
// and the func that stops it.
func newChromium(path string) (context.Context, func()) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(DesktopWidth, DesktopHeight),
		// No UserDataDir: chromedp then makes a fresh temporary profile and,
		// when the browser stops, kills its leftover child processes and
		// removes the directory.
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	return ctx, func() {
		cancelTab()
		cancelAlloc()
	}
}

// start starts the browser or opens the tab of ctx. The first call on a
// context binds the browser (or tab) to the call's context, so it must not
// have a timeout; it is bounded from outside instead.
func start(ctx context.Context) error {
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		return err
	case <-time.After(2 * BrowserTimeout):
		return fmt.Errorf("no answer within %s", 2*BrowserTimeout)
	}
}

// sharedChromium is the browser process that RunWithSharedBrowser lets tests share.
type sharedChromium struct {
	enabled bool
	mu      sync.Mutex
	ctx     context.Context // its first tab; done when the browser has stopped
	stop    func()
}

var shared sharedChromium

// browser returns the shared browser's context, starting (or, after a
// crash, restarting) it.
func (s *sharedChromium) browser(path string) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil && s.ctx.Err() == nil {
		return s.ctx, nil
	}
	if s.stop != nil {
		s.stop()
	}
	s.ctx, s.stop = newChromium(path)
	if err := start(s.ctx); err != nil {
		s.stop()
		s.ctx, s.stop = nil, nil
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return s.ctx, nil
}

// RunWithSharedBrowser runs the package's tests with one Chromium for all
// of them (see NewBrowser) and stops it afterwards. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(testutil.RunWithSharedBrowser(m)) }
func RunWithSharedBrowser(m *testing.M) int {
	shared.enabled = true
	code := m.Run()
	shared.mu.Lock()
	if shared.stop != nil {
		shared.stop()
		shared.ctx, shared.stop = nil, nil
	}
	shared.mu.Unlock()
	return code
}

// note records what the page reports as an error. It runs in the loop that
// reads the browser's messages, so it only appends.
func (c *Chrome) note(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
	default:
		return
	}
	c.mu.Lock()
	c.console = append(c.console, msg)
	c.mu.Unlock()
}

// ConsoleErrors returns the errors the pages logged so far: uncaught
// exceptions, console.error calls and browser errors such as Content
// Security Policy violations and failed loads (a 4xx page logs one too).
func (c *Chrome) ConsoleErrors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.console...)
}

// Context returns the tab's context, for chromedp calls the helpers lack.
// Bound long calls with context.WithTimeout.
func (c *Chrome) Context() context.Context { return c.ctx }

// Do runs the steps in order, each call bounded by BrowserTimeout.
func (c *Chrome) Do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	Result(c, chromedp.Steps(steps...))
}

// Result runs one action that returns a value, e.g. chromedp.Title().
func Result[T any](c *Chrome, a chromedp.Action[T]) T {
	c.t.Helper()
	return run(c, "", a)
}

// run runs a, bounded by BrowserTimeout; what names it in a failure.
func run[T any](c *Chrome, what string, a chromedp.Action[T]) T {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, BrowserTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no result within %s: %w", BrowserTimeout, err)
		}
		if what != "" {
			err = fmt.Errorf("%s: %w", what, err)
		}
		c.fail(err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
func Eval[T any](c *Chrome, js string) T {
	c.t.Helper()
	return run(c, "evaluate "+js, chromedp.Evaluate[T](js))
}

// Open loads url and returns the response of its HTML document (after any redirects).
func (c *Chrome) Open(url string) *network.Response {
	c.t.Helper()
	return run(c, "open "+url, chromedp.NavigateResponse(url))
}

// Submit clicks sel (a submit button or a link), waits for the next page to
// load and returns the response of its HTML document.
func (c *Chrome) Submit(sel string) *network.Response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, BrowserTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		c.fail(fmt.Errorf("submit %s: %w", sel, err))
	}
	return resp
}

// Follow opens start and follows wherever it leads (redirects, a form that
// submits itself) until a page whose address starts with prefix has loaded;
// it returns that page's response.
func (c *Chrome) Follow(start, prefix string) *network.Response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, BrowserTimeout)
	defer cancel()
	responses := chromedp.Events(ctx, network.ResponseReceived)
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: start})
	if err == nil && res.ErrorText != "" {
		err = errors.New(res.ErrorText)
	}
	if err != nil {
		c.fail(fmt.Errorf("open %s: %w", start, err))
	}
	var resp *network.Response
	for ev, err := range responses {
		if err != nil {
			c.fail(fmt.Errorf("open %s: no page under %s: %w", start, prefix, err))
		}
		if ev.Type == network.ResourceTypeDocument && strings.HasPrefix(ev.Response.URL, prefix) {
			resp = ev.Response
			break
		}
	}
	c.WaitFor(fmt.Sprintf("location.href.startsWith(%s) && document.readyState === 'complete'", jsString(prefix)))
	return resp
}

// Click clicks sel, which must be visible, without waiting for a page load.
func (c *Chrome) Click(sel string) {
	c.t.Helper()
	run(c, "click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Fill replaces the value of the form field sel by typing value. It empties
// the field's value itself (chromedp.Clear only resets the value attribute of
// an input, which is not what shows once typed in, and fails on an empty textarea).
func (c *Chrome) Fill(sel, value string) {
	c.t.Helper()
	run(c, "fill "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	Eval[bool](c, fmt.Sprintf("(e => (e.value = '', true))(document.querySelector(%s))", jsString(sel)))
	run(c, "fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// Paste replaces the value of the form field sel with text, inserted in one
// go as a paste does (one input event, no key events). Long text goes in far
// faster than Fill types it.
func (c *Chrome) Paste(sel, text string) {
	c.t.Helper()
	run(c, "paste into "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	Eval[bool](c, fmt.Sprintf("(e => (e.focus(), e.value = '', true))(document.querySelector(%s))", jsString(sel)))
	run(c, "paste into "+sel, func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	})
	if got := c.Value(sel); got != text {
		c.fail(fmt.Errorf("paste into %s: the field holds %q, want %q", sel, got, text))
	}
}

// Select picks the option of the select sel whose value or visible text is
// option, and fires the input and change events a person's choice fires.
func (c *Chrome) Select(sel, option string) {
	c.t.Helper()
	run(c, "select in "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	js := fmt.Sprintf(`((sel, want) => {
		const e = document.querySelector(sel);
		if (!e || !e.options) return "not a select";
		const o = [...e.options].find(o => o.value === want) || [...e.options].find(o => o.text.trim() === want);
		if (!o) return "no option " + JSON.stringify(want) + " among " + JSON.stringify([...e.options].map(o => o.text.trim()));
		e.value = o.value;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return "";
	})(%s, %s)`, jsString(sel), jsString(option))
	if msg := Eval[string](c, js); msg != "" {
		c.fail(fmt.Errorf("select %q in %s: %s", option, sel, msg))
	}
}

// WaitText waits (up to BrowserTimeout) until the visible text of the first
// element matching sel contains want, across page loads and live updates.
func (c *Chrome) WaitText(sel, want string) {
	c.t.Helper()
	c.WaitFor(fmt.Sprintf("(e => !!e && e.innerText.includes(%s))(document.querySelector(%s))", jsString(want), jsString(sel)))
}

// Text returns the visible text of the first element matching sel, waiting
// (up to BrowserTimeout) for it to appear.
func (c *Chrome) Text(sel string) string {
	c.t.Helper()
	return strings.TrimSpace(run(c, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// Value returns the current value of the form field sel.
func (c *Chrome) Value(sel string) string {
	c.t.Helper()
	return run(c, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Has reports whether the page has an element matching sel, now, without waiting.
func (c *Chrome) Has(sel string) bool {
	c.t.Helper()
	return Eval[bool](c, fmt.Sprintf("document.querySelector(%s) !== null", jsString(sel)))
}

// Visible reports whether the first element matching sel exists and is
// rendered (not display:none, not in a hidden ancestor), now.
func (c *Chrome) Visible(sel string) bool {
	c.t.Helper()
	return Eval[bool](c, fmt.Sprintf("(e => !!e && e.checkVisibility({visibilityProperty: true}))(document.querySelector(%s))", jsString(sel)))
}

// URL returns the address of the current page.
func (c *Chrome) URL() string {
	c.t.Helper()
	return Result(c, chromedp.Location())
}

// Cookie returns the browser's cookie name for the current page, or nil.
func (c *Chrome) Cookie(name string) *network.Cookie {
	c.t.Helper()
	res := Result(c, func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	})
	for _, ck := range res.Cookies {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// WaitFor polls the JavaScript expression until it is true, across page
// loads, failing the test after BrowserTimeout.
func (c *Chrome) WaitFor(js string) {
	c.t.Helper()
	deadline := time.Now().Add(BrowserTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(c.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil && c.ctx.Err() != nil {
			c.fail(err)
		}
		lastErr = err // a page in the middle of loading has no context to evaluate in
		time.Sleep(50 * time.Millisecond)
	}
	c.fail(fmt.Errorf("waited %s for %s (last error: %v)", BrowserTimeout, js, lastErr))
}

// Resize sets the viewport; Phone and Desktop are the usual sizes.
// A width below 500 emulates a touch phone, which honours the page's
// viewport meta tag.
func (c *Chrome) Resize(width, height int64) {
	c.t.Helper()
	if width < 500 {
		c.Do(chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch))
		return
	}
	c.Do(chromedp.EmulateViewport(width, height))
}

// Phone sets a 375×812 phone viewport.
func (c *Chrome) Phone() { c.t.Helper(); c.Resize(PhoneWidth, PhoneHeight) }

// Desktop sets the 1280×900 desktop viewport.
func (c *Chrome) Desktop() { c.t.Helper(); c.Resize(DesktopWidth, DesktopHeight) }

// LoginAs signs in through the real /login form as email with Password and
// checks that the dashboard came back.
func (c *Chrome) LoginAs(srv *Server, email string) {
	c.t.Helper()
	c.LoginWith(srv, email, Password)
}

// SignOut ends the session through the page's own Sign out form — also at
// phone width, where the menu hides it — and waits for the sign-in page.
func (c *Chrome) SignOut() {
	c.t.Helper()
	Eval[bool](c, `document.querySelector('.whoami form[action="/logout"]').requestSubmit(); true`)
	c.WaitFor(`location.pathname === "/login" && document.readyState === "complete" && !!document.querySelector("#email")`)
}

// LoginWith signs in through the real /login form as email with password
// (a demo user's, say) and checks that the dashboard came back.
func (c *Chrome) LoginWith(srv *Server, email, password string) {
	c.t.Helper()
	c.Open(srv.URL + "/login")
	c.Fill("#email", email)
	c.Fill("#password", password)
	resp := c.Submit(`form[action="/login"] button[type=submit]`)
	if c.Has("#login-error") || resp == nil || resp.Status != 200 || !c.Has("header.topbar") {
		msg := "(no error shown)"
		if c.Has("#login-error") {
			msg = c.Text("#login-error")
		}
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		c.fail(fmt.Errorf("sign in as %s: status %d at %s: %s", email, status, c.URL(), msg))
	}
}

// Screenshot saves a PNG of the whole page and returns its path. Files go to
// $VOUCH_SCREENSHOTS, or vouch-screenshots in the temporary directory, named
// after the test, so each run replaces the last one's and they outlive the test.
func (c *Chrome) Screenshot(name string) string {
	c.t.Helper()
	path, err := c.screenshot(name)
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	c.t.Logf("screenshot: %s", path)
	return path
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (c *Chrome) screenshot(name string) (string, error) {
	dir := os.Getenv("VOUCH_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "vouch-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, unsafeFileChars.ReplaceAllString(c.t.Name()+"-"+name, "_")+".png")
	return path, os.WriteFile(path, png, 0o644)
}

// fail ends the test with err, the page's address and a screenshot.
func (c *Chrome) fail(err error) {
	c.t.Helper()
	if c.ctx.Err() != nil {
		c.t.Fatalf("browser: %v (the browser has stopped)", err)
	}
	where := "?"
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	if u, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		where = u
	}
	cancel()
	shot, serr := c.screenshot("failure")
	if serr != nil {
		shot = fmt.Sprintf("(none: %v)", serr)
	}
	var extra string
	if errs := c.ConsoleErrors(); len(errs) > 0 {
		extra = "\n  page errors:\n    " + strings.Join(errs, "\n    ")
	}
	c.t.Fatalf("browser: %v\n  page: %s\n  screenshot: %s%s", err, where, shot, extra)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
