package contentindex_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The benchmark library: 20,000 items in a SQLite database, built once per
// test binary (it takes a while) and removed when the binary ends.
var (
	benchOnce sync.Once
	benchDB   *store.DB
	benchCat  *catalog.Catalog
	benchDir  string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// common words of customer stories, searched by the benchmark queries,
// after the short words that are the commonest in any English text.
var storyWords = strings.Fields(`the of and to a in is that for it with as was on we our by at be this
from are an or have has they their its were which you can not but all more new one about also into
analytics cloud migration reporting hospital compliance payments platform
customer team data security integration rollout onboarding revenue growth pipeline forecast dashboard
automation workflow support service network operations finance retail logistics supply chain manufacturing
insurance banking healthcare patients clinicians regulators audit risk fraud detection mobile app partners
global regional europe america asia deployment months weeks faster cheaper savings return investment
productivity efficiency visibility insight decision leaders executives engineers analysts results adoption
training users licences contract renewal expansion modernisation legacy mainframe warehouse lakehouse
streaming realtime latency uptime availability scale performance throughput cost governance privacy`)

// vocabulary is a language of n words: the story words, then made-up words
// of 4–8 letters, as many distinct words as a library's documents hold.
func vocabulary(r *rand.Rand, n int) []string {
	out := slices.Clone(storyWords)
	seen := map[string]bool{}
	for _, w := range out {
		seen[w] = true
	}
	syll := strings.Fields("ba ce di fo gu ha je ki lo mu na pe ri so tu va we xi yo zu br cr st tr pl an en in on un ar er or")
	for len(out) < n {
		var b strings.Builder
		for k := 2 + r.Intn(3); k > 0; k-- {
			b.WriteString(syll[r.Intn(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// prose is n words drawn from vocab with a Zipf law: few words are common,
// most are rare, as in real text (a text of 3,000 words has about 1,000
// distinct words; words average about 5 letters).
func prose(z *rand.Zipf, vocab []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[z.Uint64()])
	}
	return b.String()
}

// benchLibrary builds the benchmark database: n items with titles,
// summaries, bodies of about 150 words and tags on every item, a fifth of
// them with the extracted words of a file of about 3,000 words; most are
// approved.
func benchLibrary(tb testing.TB, n int) (*store.DB, *catalog.Catalog) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "contentbench")
		if benchErr != nil {
			return
		}
		benchDB, benchErr = buildLibrary(benchDir, n)
		if benchErr == nil {
			benchCat = catalog.New(benchDB)
			benchErr = benchCat.Load(context.Background())
		}
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchDB, benchCat
}

func buildLibrary(dir string, n int) (*store.DB, error) {
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "bench"})
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewSource(1))
	vocab := vocabulary(r, 40_000)
	z := rand.NewZipf(r, 1.15, 2, uint64(len(vocab)-1))
	values := func(k vouch.TaxonomyKind) []int64 {
		var ids []int64
		for _, v := range cat.Values(k, false) {
			ids = append(ids, v.ID)
		}
		return ids
	}
	pick := func(ids []int64, most int) []int64 {
		var out []int64
		for k := 1 + r.Intn(most); k > 0; k-- {
			if id := ids[r.Intn(len(ids))]; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	types := values(vouch.TaxContentType)
	tags := map[vouch.TaxonomyKind][]int64{}
	for _, k := range vouch.ContentTagKinds {
		tags[k] = values(k)
	}
	states := []vouch.ContentState{vouch.ContentApprovedExternal, vouch.ContentApprovedExternal, vouch.ContentApprovedExternal,
		vouch.ContentApprovedInternal, vouch.ContentDraft, vouch.ContentAwaitingApproval, vouch.ContentWithdrawn}
	today := db.Clock.Today()
	var withFile []int64
	err = db.Batch(ctx, func(b *store.Batch) error {
		for i := 0; i < n; i++ {
			it := &vouch.ContentItem{TypeID: types[r.Intn(len(types))],
				Title:   prose(z, vocab, 6+r.Intn(5)),
				Summary: prose(z, vocab, 25+r.Intn(20)), Body: prose(z, vocab, 120+r.Intn(60)),
				Language: []string{"English", "English", "German", "French"}[r.Intn(4)],
				State:    states[r.Intn(len(states))], PublishedOn: today.AddDays(-r.Intn(1500))}
			for _, k := range vouch.ContentTagKinds {
				if k == vouch.TaxIndustry || k == vouch.TaxRegion || k == vouch.TaxProduct || r.Intn(2) == 0 {
					it.SetTagIDs(k, pick(tags[k], 2))
				}
			}
			if it.State.Approved() {
				it.ApprovedOn, it.ApprovedBy, it.ApprovalMethod = today.AddDays(-r.Intn(300)), "Customer", "mail"
				it.ExpiresOn = it.ApprovedOn.AddDays(730)
			}
			if err := b.CreateContent(it); err != nil {
				return err
			}
			if i%5 == 0 {
				withFile = append(withFile, it.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The extracted words of the files, written as the extraction job would.
	raw, err := sql.Open("sqlite", "file:"+db.Path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_time_format=sqlite")
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // after a commit, a no-op
	for _, id := range withFile {
		res, err := tx.Exec(`INSERT INTO files (name, media_type, size, sha256, stored_in, created_at) VALUES (?, 'application/pdf', 100000, '', 'dir', ?)`,
			fmt.Sprintf("story-%d.pdf", id), time.Now().UTC())
		if err != nil {
			return nil, err
		}
		fileID, _ := res.LastInsertId()
		if _, err := tx.Exec(`UPDATE content_items SET file_id = ?, text_status = ? WHERE id = ?`, fileID, vouch.TextExtracted, id); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(`INSERT INTO content_texts (content_id, text) VALUES (?, ?)`, id, prose(z, vocab, 2700+r.Intn(600))); err != nil {
			return nil, err
		}
	}
	return db, tx.Commit()
}

// heapMB is the Go heap in use after a collection.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// benchQueries is the mix the budget is measured on: a word, two words, a
// prefix, a typo, text with facet filters, facets without text, and the
// library's first page — for sellers and for the program team.
func benchQueries(cat *catalog.Catalog) []contentindex.Query {
	v := func(k vouch.TaxonomyKind, name string) int64 { return cat.ValueID(k, name) }
	healthcare, emea := v(vouch.TaxIndustry, "Healthcare"), v(vouch.TaxRegion, "EMEA")
	analytics, study := v(vouch.TaxProduct, "Analytics"), v(vouch.TaxContentType, "Case study")
	return []contentindex.Query{
		{Text: "analytics"},
		{Text: "cloud migration", Manage: true},
		{Text: "hosp"},
		{Text: "complianse"},
		{Text: "reporting", Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {healthcare}, vouch.TaxContentType: {study}}},
		{Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {healthcare}, vouch.TaxRegion: {emea}}},
		{Filters: map[vouch.TaxonomyKind][]int64{vouch.TaxProduct: {analytics}}, Manage: true, Sort: contentindex.SortTitle},
		{},
	}
}

// loadedIndex is a content index loaded from the benchmark database, and
// the Go heap it holds.
func loadedIndex(b *testing.B) (*contentindex.Index, *catalog.Catalog, float64) {
	db, cat := benchLibrary(b, 20_000)
	before := heapMB()
	ix := contentindex.New(db, cat, nil)
	if err := ix.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	held := heapMB() - before
	if ix.Len() != 20_000 {
		b.Fatalf("index holds %d items", ix.Len())
	}
	return ix, cat, held
}

// BenchmarkSearch20k measures a mix of searches with facet counts over
// 20,000 items. Budgets: p95 ≤ 3 ms; index memory ≤ 60 MB (index-MB).
func BenchmarkSearch20k(b *testing.B) {
	ix, cat, held := loadedIndex(b)
	queries := benchQueries(cat)
	durations := make([]time.Duration, 0, b.N)
	found := make([]int, len(queries))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := i % len(queries)
		start := time.Now()
		res := ix.Search(queries[q])
		durations = append(durations, time.Since(start))
		found[q] = res.Total
	}
	b.StopTimer()
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(held, "index-MB")
	if b.N >= len(queries) {
		for q, n := range found {
			if n == 0 {
				b.Fatalf("query %d (%+v) found nothing", q, queries[q])
			}
		}
	}
}

// BenchmarkEachSearch20k times the mix's queries one by one.
func BenchmarkEachSearch20k(b *testing.B) {
	ix, cat, _ := loadedIndex(b)
	for i, q := range benchQueries(cat) {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			for j := 0; j < b.N; j++ {
				ix.Search(q)
			}
		})
	}
}

// BenchmarkReports20k times each content report over the 20,000 items, as
// the program team sees them (every item). Budget: < 100 ms for the page.
func BenchmarkReports20k(b *testing.B) {
	ix, cat, _ := loadedIndex(b)
	reports := content.NewReports(benchDB, ix, cat)
	for _, kind := range content.ReportKinds {
		b.Run(kind, func(b *testing.B) {
			for j := 0; j < b.N; j++ {
				if _, err := reports.Report(context.Background(), kind, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
