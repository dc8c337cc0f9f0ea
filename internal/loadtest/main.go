// Command loadtest drives a mixed read load against a running Vouch on this
// machine and reports latency per kind of request and the server's memory
// before and after each run. It is how docs/performance.md ("Memory under
// load") is measured:
//
//	vouch serve --data-dir /tmp/big --addr 127.0.0.1:18090 &
//	VOUCH_LOAD_PASSWORD=… VOUCH_LOAD_TOKEN=… go run ./internal/loadtest \
//	    -url http://127.0.0.1:18090 -email load@example.com -pid $(pgrep -n vouch)
//
// The load is bounded: each run lasts -duration and sends at most
// -max-requests; only loopback addresses are accepted. It signs in once (a
// session for the pages, the API token for /api/v1) and reads only: API
// search with facets, reference profiles (page and API), request pages,
// ranked matches, the references list page and the dashboard.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	base     *url.URL
	email    string
	password string
	token    string
	pid      int
	conns    int
	duration time.Duration
	maxReqs  int64
	runs     int
	settle   time.Duration
	seed     uint64
}

func run() error {
	var c config
	rawURL := flag.String("url", "http://127.0.0.1:18090", "the Vouch to load (loopback only)")
	flag.StringVar(&c.email, "email", "", "a user who may read references and requests (a program manager or admin)")
	flag.IntVar(&c.pid, "pid", 0, "the server's process id, to read its memory from /proc (0: not read)")
	flag.IntVar(&c.conns, "conns", 16, "concurrent connections")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long each run lasts")
	flag.Int64Var(&c.maxReqs, "max-requests", 200_000, "at most this many requests per run")
	flag.IntVar(&c.runs, "runs", 2, "consecutive runs")
	flag.DurationVar(&c.settle, "settle", 5*time.Second, "pause after each run before memory is read again")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed: the same seed sends the same mix")
	flag.Parse()
	c.password, c.token = os.Getenv("VOUCH_LOAD_PASSWORD"), os.Getenv("VOUCH_LOAD_TOKEN")
	if c.email == "" || c.password == "" || c.token == "" {
		return errors.New("-email, VOUCH_LOAD_PASSWORD and VOUCH_LOAD_TOKEN are required")
	}
	if c.conns < 1 || c.conns > 64 || c.runs < 1 || c.runs > 10 || c.duration <= 0 || c.duration > 10*time.Minute {
		return errors.New("-conns must be 1–64, -runs 1–10 and -duration at most 10m")
	}
	u, err := url.Parse(*rawURL)
	if err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url %s: only loopback addresses are loaded", *rawURL)
	}
	c.base = u

	d, err := newDriver(c)
	if err != nil {
		return err
	}
	fmt.Printf("%d references, %d requests known; %d connections, %d runs of %s\n",
		d.totalRefs, len(d.requestIDs), c.conns, c.runs, c.duration)
	d.memory("before")
	for i := 1; i <= c.runs; i++ {
		cpu := d.cpuSeconds()
		stats := d.load(c)
		stats.print(os.Stdout, fmt.Sprintf("run %d", i))
		if used := d.cpuSeconds() - cpu; cpu > 0 && stats.served() > 0 {
			// Server CPU per request is steadier than latency on a busy machine.
			fmt.Printf("server CPU %.1f s, %.2f ms per request\n", used, used*1000/float64(stats.served()))
		}
		d.memory(fmt.Sprintf("after run %d", i))
		time.Sleep(c.settle)
		d.memory(fmt.Sprintf("after run %d + %s", i, c.settle))
	}
	return nil
}

// driver holds the signed-in client and what the load picks from.
type driver struct {
	cfg        config
	client     *http.Client
	refIDs     []int64
	totalRefs  int
	requestIDs []int64
	filters    map[string][]string // API facet parameter → value names
}

// apiFacets are the facets the API searches count.
var apiFacets = []string{"industry", "region", "product", "use_case", "activity_type", "status", "has_capacity", "seniority"}

// words are search texts seen in the demo data: words, a typo, prefixes.
var words = []string{"cloud", "migration", "cloud migration", "chief", "analytics", "director", "reporting",
	"complianse", "glob", "engineer", "operations", "data", "security", "customer experience", "sol"}

func newDriver(c config) (*driver, error) {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: c.conns * 2, MaxIdleConnsPerHost: c.conns * 2, IdleConnTimeout: time.Minute}
	d := &driver{cfg: c, client: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"email": {c.email}, "password": {c.password}}
	resp, err := d.client.PostForm(d.url("/login"), form)
	if err != nil {
		return nil, fmt.Errorf("signing in: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // drained so the connection is reused; the status decides
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("signing in as %s: %s (wrong password?)", c.email, resp.Status)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
		Total  int                                `json:"total"`
		Facets map[string][]struct{ Name string } `json:"facets"`
	}
	if err := d.getJSON("/api/v1/references?limit=1&facets="+strings.Join(apiFacets, ","), &list); err != nil {
		return nil, err
	}
	d.totalRefs = list.Total
	d.filters = map[string][]string{}
	for name, vals := range list.Facets {
		for _, v := range vals {
			d.filters[name] = append(d.filters[name], v.Name)
		}
	}
	// Reference ids from four orders, so profiles are spread over the index.
	for _, sort := range []string{"name", "account", "updated", "verified"} {
		if err := d.getJSON("/api/v1/references?limit=500&sort="+sort, &list); err != nil {
			return nil, err
		}
		for _, it := range list.Items {
			d.refIDs = append(d.refIDs, it.ID)
		}
	}
	var reqs struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := d.getJSON("/api/v1/requests?limit=100", &reqs); err != nil {
		return nil, err
	}
	for _, it := range reqs.Items {
		d.requestIDs = append(d.requestIDs, it.ID)
	}
	if len(d.refIDs) == 0 || len(d.requestIDs) == 0 {
		return nil, errors.New("the server has no references or no requests to read (load it with vouch demo)")
	}
	return d, nil
}

func (d *driver) url(path string) string { return d.cfg.base.String() + path }

func (d *driver) getJSON(path string, v any) error {
	req, _ := http.NewRequest(http.MethodGet, d.url(path), nil)
	req.Header.Set("Authorization", "Bearer "+d.cfg.token)
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// kinds of request, with their share of the mix (out of 100).
var kinds = []struct {
	name   string
	weight int
}{
	{"api search + facets", 30},
	{"api reference", 10},
	{"reference page", 15},
	{"references page", 15},
	{"request page", 10},
	{"api matches", 10},
	{"dashboard", 10},
}

// pick builds one request of a kind chosen by weight.
func (d *driver) pick(rng *rand.Rand) (kind int, req *http.Request) {
	n := rng.IntN(100)
	for kind = range kinds {
		if n < kinds[kind].weight {
			break
		}
		n -= kinds[kind].weight
	}
	api := false
	var path string
	switch kinds[kind].name {
	case "api search + facets":
		api = true
		v := url.Values{"facets": {strings.Join(apiFacets[:2+rng.IntN(len(apiFacets)-1)], ",")}}
		d.query(rng, v, "has_capacity")
		v.Set("limit", strconv.Itoa([]int{10, 50, 100}[rng.IntN(3)]))
		if rng.IntN(4) == 0 {
			v.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(50+rng.IntN(2000)))))
		}
		path = "/api/v1/references?" + v.Encode()
	case "api reference":
		api = true
		path = fmt.Sprintf("/api/v1/references/%d", d.refIDs[rng.IntN(len(d.refIDs))])
	case "reference page":
		path = fmt.Sprintf("/references/%d", d.refIDs[rng.IntN(len(d.refIDs))])
	case "references page":
		v := url.Values{}
		d.query(rng, v, "has_capacity")
		if rng.IntN(4) == 0 {
			v.Set("offset", strconv.Itoa(50*rng.IntN(40)))
		}
		path = "/references?" + v.Encode()
	case "request page":
		path = fmt.Sprintf("/requests/%d", d.requestIDs[rng.IntN(len(d.requestIDs))])
	case "api matches":
		api = true
		path = fmt.Sprintf("/api/v1/requests/%d/matches", d.requestIDs[rng.IntN(len(d.requestIDs))])
	default:
		path = "/"
	}
	req, _ = http.NewRequest(http.MethodGet, d.url(path), nil)
	if api {
		req.Header.Set("Authorization", "Bearer "+d.cfg.token)
	}
	return kind, req
}

// query adds search text and filters, each present about half the time.
func (d *driver) query(rng *rand.Rand, v url.Values, capacity string) {
	if rng.IntN(2) == 0 {
		v.Set("q", words[rng.IntN(len(words))])
	}
	for _, name := range []string{"industry", "region", "product", "status"} {
		if vals := d.filters[name]; len(vals) > 0 && rng.IntN(3) == 0 {
			v.Add(name, vals[rng.IntN(len(vals))])
		}
	}
	if rng.IntN(4) == 0 {
		v.Set(capacity, "true")
	}
	if rng.IntN(5) == 0 {
		v.Set("sort", []string{"name", "account", "updated", "verified"}[rng.IntN(4)])
	}
}

// runStats are one run's latencies by kind, and its failures.
type runStats struct {
	elapsed   time.Duration
	latencies [][]time.Duration
	failures  []int
	firstFail string
}

// load sends the mix from c.conns goroutines until the run's time or
// request budget is spent.
func (d *driver) load(c config) *runStats {
	ctx, cancel := context.WithTimeout(context.Background(), c.duration)
	defer cancel()
	var sent atomic.Int64
	var mu sync.Mutex
	st := &runStats{latencies: make([][]time.Duration, len(kinds)), failures: make([]int, len(kinds))}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range c.conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(c.seed, uint64(w)))
			local := make([][]time.Duration, len(kinds))
			fails := make([]int, len(kinds))
			var firstFail string
			for ctx.Err() == nil && sent.Add(1) <= c.maxReqs {
				kind, req := d.pick(rng)
				t := time.Now()
				resp, err := d.client.Do(req.WithContext(ctx))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s", resp.Status)
					}
				}
				if ctx.Err() != nil {
					break // cut short by the end of the run: not counted
				}
				if err != nil {
					fails[kind]++
					if firstFail == "" {
						firstFail = fmt.Sprintf("%s %s: %v", req.Method, req.URL.RequestURI(), err)
					}
					continue
				}
				local[kind] = append(local[kind], time.Since(t))
			}
			mu.Lock()
			defer mu.Unlock()
			for k := range kinds {
				st.latencies[k] = append(st.latencies[k], local[k]...)
				st.failures[k] += fails[k]
			}
			if st.firstFail == "" {
				st.firstFail = firstFail
			}
		})
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

// served is how many requests succeeded.
func (st *runStats) served() int {
	n := 0
	for _, ls := range st.latencies {
		n += len(ls)
	}
	return n
}

func (st *runStats) print(w io.Writer, title string) {
	all := 0
	fmt.Fprintf(w, "\n%s (%s)\n| kind | requests | failed | p50 | p95 |\n| --- | --- | --- | --- | --- |\n", title, st.elapsed.Round(time.Millisecond))
	for k, kind := range kinds {
		ls := st.latencies[k]
		slices.Sort(ls)
		all += len(ls)
		p := func(q int) string {
			if len(ls) == 0 {
				return "–"
			}
			return fmt.Sprintf("%.1f ms", float64(ls[len(ls)*q/100].Microseconds())/1000)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s |\n", kind.name, len(ls), st.failures[k], p(50), p(95))
	}
	fmt.Fprintf(w, "%d requests, %.0f/s\n", all, float64(all)/st.elapsed.Seconds())
	if st.firstFail != "" {
		fmt.Fprintf(w, "first failure: %s\n", st.firstFail)
	}
}

// memory prints the server's resident memory (from /proc) and Go heap (from /metrics).
func (d *driver) memory(moment string) {
	line := fmt.Sprintf("%-22s", moment)
	if d.cfg.pid != 0 {
		f, err := os.Open(fmt.Sprintf("/proc/%d/status", d.cfg.pid))
		if err != nil {
			line += " (cannot read /proc: " + err.Error() + ")"
		} else {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if k, v, ok := strings.Cut(sc.Text(), ":"); ok && (k == "VmRSS" || k == "VmHWM") {
					line += fmt.Sprintf(" %s %s", k, strings.Join(strings.Fields(v), " "))
				}
			}
			f.Close()
		}
	}
	if m, err := d.heap(); err == nil {
		line += " " + m
	}
	fmt.Println(line)
}

// heap reads the Go runtime's heap figures from /metrics, in MB.
func (d *driver) heap() (string, error) {
	want := []string{"go_memstats_heap_inuse_bytes", "go_memstats_heap_idle_bytes", "go_memstats_heap_released_bytes", "go_memstats_next_gc_bytes"}
	got, err := d.metrics(want...)
	mb := func(name string) string { return fmt.Sprintf("%.0f", got[name]/(1<<20)) }
	return fmt.Sprintf("heap-inuse %s MB, idle %s MB, released %s MB, next-gc %s MB",
		mb(want[0]), mb(want[1]), mb(want[2]), mb(want[3])), err
}

// cpuSeconds is the server's CPU time so far (0 when unknown).
func (d *driver) cpuSeconds() float64 {
	got, _ := d.metrics("process_cpu_seconds_total")
	return got["process_cpu_seconds_total"]
}

// metrics reads the named values from the server's /metrics.
func (d *driver) metrics(names ...string) (map[string]float64, error) {
	resp, err := d.client.Get(d.url("/metrics"))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	got := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if ok && slices.Contains(names, name) {
			got[name], _ = strconv.ParseFloat(val, 64)
		}
	}
	return got, sc.Err()
}
