package testutil

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
)

// ReadModels loads a catalog and a reference index over db, wired as the
// server wires them: one change feed, which hands them this process's
// writes as they commit (and, when the test calls Poll, everyone else's),
// until the test ends.
func ReadModels(t testing.TB, db *store.DB) (*changefeed.Feed, *catalog.Catalog, *refindex.Index) {
	t.Helper()
	feed := changefeed.New(db, nil)
	t.Cleanup(feed.Close)
	cat := catalog.New(db)
	ix := refindex.New(db, cat, nil)
	ctx := context.Background()
	if _, err := feed.Subscribe(ctx, "catalog", catalog.Kinds, cat); err != nil {
		t.Fatal(err)
	}
	if _, err := feed.Subscribe(ctx, "reference index", refindex.Kinds, ix); err != nil {
		t.Fatal(err)
	}
	return feed, cat, ix
}

// Library loads a content index over db on feed, as the server does (after
// the catalog, whose names it shows).
func Library(t testing.TB, db *store.DB, feed *changefeed.Feed, cat *catalog.Catalog) *contentindex.Index {
	t.Helper()
	ix := contentindex.New(db, cat, nil)
	if _, err := feed.Subscribe(context.Background(), "content index", contentindex.Kinds, ix); err != nil {
		t.Fatal(err)
	}
	return ix
}
