package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

func TestLoginAttempts(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		limits := []store.LoginLimit{{Key: "email:a@example.com", Max: 3}, {Key: "ip:1.2.3.4", Max: 10}}
		var last store.LoginAttempt
		for i := 0; i < 3; i++ {
			a, wait, err := db.ReserveLoginAttempt(ctx, 15*time.Minute, limits...)
			if err != nil || wait != 0 {
				t.Fatalf("attempt %d: wait %v err %v", i+1, wait, err)
			}
			last = a
		}
		_, wait, err := db.ReserveLoginAttempt(ctx, 15*time.Minute, limits...)
		if err != nil || wait <= 0 || wait > 15*time.Minute {
			t.Fatalf("fourth attempt: wait %v err %v, want a wait of up to 15 minutes", wait, err)
		}
		// A right password forgets its own attempt and the email's failures;
		// the address keeps its two failures.
		if err := db.ForgetLoginAttempt(ctx, last); err != nil {
			t.Fatal(err)
		}
		if err := db.ClearLoginFailures(ctx, "email:a@example.com"); err != nil {
			t.Fatal(err)
		}
		ipOnly := store.LoginLimit{Key: "ip:1.2.3.4", Max: 3}
		if _, wait, _ := db.ReserveLoginAttempt(ctx, 15*time.Minute, ipOnly); wait != 0 {
			t.Fatalf("address with 2 failures refused (wait %v)", wait)
		}
		if _, wait, _ := db.ReserveLoginAttempt(ctx, 15*time.Minute, ipOnly); wait == 0 {
			t.Fatal("address with 3 failures accepted a fourth")
		}
	})
}

// Simultaneous attempts cannot all pass the count: exactly the limit is reserved.
func TestLoginAttemptsConcurrent(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		var mu sync.Mutex
		reserved, refused := 0, 0
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() {
				_, wait, err := db.ReserveLoginAttempt(ctx, 15*time.Minute, store.LoginLimit{Key: "email:b@example.com", Max: 5})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case wait > 0:
					refused++
				default:
					reserved++
				}
			})
		}
		wg.Wait()
		if reserved != 5 || refused != 25 {
			t.Errorf("reserved %d, refused %d; want 5 and 25", reserved, refused)
		}
	})
}
