package refindex

import (
	"context"
	"sync"

	"github.com/vouchhq/vouch/internal/store"
)

// lookback is how far behind the newest change the feed re-reads. On
// PostgreSQL ids are handed out at insert but become visible at commit, so a
// smaller id can appear after a larger one; re-reading a window and skipping
// ids already applied catches it. (SQLite has one writer: ids appear in order.)
const lookback = 500

// feed tracks which audit entries the index has applied.
type feed struct {
	mu    sync.Mutex
	last  int64
	floor int64          // everything up to here was in the initial load
	seen  map[int64]bool // applied ids within the lookback window
}

func (f *feed) start(last int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last, f.floor, f.seen = last, last, map[int64]bool{}
}

// poll applies the changes made since the last poll.
func (ix *Index) poll(ctx context.Context) error {
	f := &ix.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	from := f.last - lookback
	if from < 0 {
		from = 0
	}
	for {
		changes, err := ix.db.ChangesSince(ctx, from, 5000)
		if err != nil {
			return err
		}
		var todo []store.Touched
		for _, c := range changes {
			if c.ID <= f.floor || c.ID <= f.last-lookback || f.seen[c.ID] {
				continue
			}
			// Ids at or below last that were not seen are late commits: apply them too.
			f.seen[c.ID] = true
			todo = append(todo, store.Touched{EntityType: c.EntityType, EntityID: c.EntityID})
			if c.ID > f.last {
				f.last = c.ID
			}
		}
		if err := ix.Apply(ctx, todo); err != nil {
			return err
		}
		for id := range f.seen {
			if id <= f.last-lookback {
				delete(f.seen, id)
			}
		}
		if len(changes) < 5000 {
			return nil
		}
		from = changes[len(changes)-1].ID
	}
}
