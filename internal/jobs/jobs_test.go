package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = context.Background()

func newRunner(t *testing.T, db *store.DB, opts jobs.Options) *jobs.Runner {
	t.Helper()
	r, err := jobs.New(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// waitFor polls the owner's job until ok says it is as wanted.
func waitFor(t *testing.T, r *jobs.Runner, owner, id int64, what string, ok func(*vouch.Job) bool) *vouch.Job {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := r.Job(ctx, owner, id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is not %s: %+v", id, what, j)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestProgressWhileRunningAndResultUntilDismissed(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		pam := testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		sam := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleProgramManager)
		r := newRunner(t, db, jobs.Options{Heartbeat: 20 * time.Millisecond})
		release := make(chan struct{})
		j, err := r.Start(ctx, pam.ID, vouch.JobImport, "upload-1", "people.csv", func(ctx context.Context, p *jobs.Progress) (any, error) {
			p.Phase("Writing references")
			p.Set(3, 10)
			<-release
			p.Set(10, 10)
			return map[string]int{"created": 10}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// While it runs, its owner sees how far it is: from the runner at once,
		// and from the database (another instance's view) after a heartbeat.
		running := waitFor(t, r, pam.ID, j.ID, "at 3 of 10", func(j *vouch.Job) bool { return j.Done == 3 })
		if !running.Running() || running.Total != 10 || running.Percent() != 30 || running.Phase != "Writing references" {
			t.Errorf("running job: %+v", running)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			stored, err := db.Job(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Done == 3 && stored.Total == 10 && stored.Phase == "Writing references" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the database never saw the progress: %+v", stored)
			}
			time.Sleep(10 * time.Millisecond)
		}
		// Nobody else sees it.
		if _, err := r.Job(ctx, sam.ID, j.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("another user's job: %v, want not found", err)
		}
		if err := r.Dismiss(ctx, pam.ID, j.ID); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("dismissing a running job: %v, want a conflict", err)
		}
		close(release)
		done := waitFor(t, r, pam.ID, j.ID, "done", func(j *vouch.Job) bool { return !j.Running() })
		var result map[string]int
		if done.State != vouch.JobSucceeded || json.Unmarshal(done.Result, &result) != nil || result["created"] != 10 || done.FinishedAt == nil {
			t.Fatalf("finished job: %+v (%s)", done, done.Result)
		}
		// Reading the outcome keeps it: a new runner (a restart) still has it.
		r.Close()
		r2 := newRunner(t, db, jobs.Options{})
		for range 2 {
			again, err := r2.Latest(ctx, pam.ID, vouch.JobImport, "upload-1")
			if err != nil || again.ID != j.ID || again.State != vouch.JobSucceeded || string(again.Result) != string(done.Result) {
				t.Fatalf("after reading: %+v, %v", again, err)
			}
		}
		if list, err := r2.Recent(ctx, pam.ID, vouch.JobImport, 10); err != nil || len(list) != 1 || list[0].ID != j.ID {
			t.Fatalf("recent jobs: %v, %v", list, err)
		}
		// Until dismissed, by its owner only.
		if err := r2.Dismiss(ctx, sam.ID, j.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("dismissing another user's job: %v", err)
		}
		if err := r2.Dismiss(ctx, pam.ID, j.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := r2.Job(ctx, pam.ID, j.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("a dismissed job: %v, want not found", err)
		}
	})
}

func TestOutcomesExpire(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		pam := testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		r := newRunner(t, db, jobs.Options{Heartbeat: 10 * time.Millisecond, Keep: 50 * time.Millisecond})
		j, err := r.Start(ctx, pam.ID, vouch.JobImport, "old", "old.csv", func(context.Context, *jobs.Progress) (any, error) { return nil, nil })
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := db.Job(ctx, j.ID); vouch.ErrorCode(err) == vouch.ENOTFOUND {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("a finished job older than Keep was never deleted")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestJobsLeftRunningAreMarkedFailed(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		pam := testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		// A server died while importing: its job is "running" in the database.
		left := &vouch.Job{OwnerID: pam.ID, Kind: vouch.JobImport, Subject: "upload-1", Title: "people.csv"}
		if err := db.CreateJob(ctx, left); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond) // longer than StaleAfter below
		r := newRunner(t, db, jobs.Options{Heartbeat: 10 * time.Millisecond, StaleAfter: 40 * time.Millisecond})
		j, err := r.Job(ctx, pam.ID, left.ID)
		if err != nil {
			t.Fatal(err)
		}
		const want = "Vouch restarted while this import was running; nothing was imported — start it again."
		if j.State != vouch.JobFailed || j.Error != want || j.FinishedAt == nil {
			t.Errorf("job left running, after a restart: %s %q", j.State, j.Error)
		}
	})
}

func TestStoppedJobWritesNothing(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		pam := testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		var file strings.Builder
		file.WriteString("Account,Name,Email\n")
		for i := range 500 {
			fmt.Fprintf(&file, "Account %d,Person %d,person%d@example.com\n", i, i, i)
		}
		sheet, err := refsheet.Read("people.csv", strings.NewReader(file.String()), refsheet.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, jobs.Options{})
		started := make(chan struct{})
		var once sync.Once
		j, err := r.Start(vouch.WithActor(ctx, vouch.UserActor(pam)), pam.ID, vouch.JobImport, "upload-1", "people.csv",
			func(ctx context.Context, p *jobs.Progress) (any, error) {
				return refsheet.Apply(ctx, db, sheet, nil, refsheet.Options{}, func(done, total int) {
					p.Set(done, total)
					// The server stops in the middle of the import's transaction.
					once.Do(func() { close(started); <-ctx.Done() })
				})
			})
		if err != nil {
			t.Fatal(err)
		}
		<-started
		r.Close() // what SIGTERM does
		got, err := db.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.JobFailed || got.Error != vouch.JobImport.InterruptedMessage() {
			t.Errorf("stopped job: %s %q", got.State, got.Error)
		}
		if n, err := db.CountReferences(ctx); err != nil || n != 0 {
			t.Errorf("%d references written by a stopped import (%v)", n, err)
		}
		if _, err := r.Start(ctx, pam.ID, vouch.JobImport, "upload-2", "late.csv", nil); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("starting a job after Close: %v", err)
		}
	})
}
