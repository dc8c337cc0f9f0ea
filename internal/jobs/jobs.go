// Package jobs runs long work in the background, apart from the request
// that started it: an import today, exports, text extraction and scheduled
// scorecards later.
//
// A job belongs to the user who started it; only they see it. Its progress
// (done of total, and a phase) is kept in memory while it runs, and written
// to the database every heartbeat, with the heartbeat itself. Its result
// (JSON) or its failure is written to the database when it ends, and kept
// there until its owner dismisses it or it is Keep old, so a page can be
// left and come back to, on any instance, after a restart.
//
// A job's work is meant to be one transaction on the job's context. When
// the server stops (Close), the context is cancelled, the transaction rolls
// back, and the job is marked failed with its kind's "Vouch restarted …"
// sentence. A job whose server died without stopping is found the same
// way: at start, and at every heartbeat after, a running job that no
// server has renewed for StaleAfter is marked failed. With SQLite only one
// server uses the database, so at start every running job is one of its
// predecessor's and is marked failed at once.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Options configure a Runner; zero values take the defaults.
type Options struct {
	Logger *slog.Logger
	// Heartbeat is how often running jobs' progress is written (default 1 s).
	Heartbeat time.Duration
	// StaleAfter is how long a running job may go without a heartbeat before
	// it is taken for interrupted (default 15 heartbeats).
	StaleAfter time.Duration
	// Keep is how long a finished job's outcome is kept (default 7 days).
	Keep time.Duration
}

// Func is a job's work. It reports its progress on p and returns its
// result, which is kept as JSON; an error fails the job with the error's
// message. It must stop, writing nothing, when ctx is cancelled.
type Func func(ctx context.Context, p *Progress) (result any, err error)

// Runner runs jobs and keeps their outcomes.
type Runner struct {
	db   *store.DB
	log  *slog.Logger
	opts Options

	stop      context.Context // cancelled by Close; every job's context follows it
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	mu   sync.Mutex
	live map[int64]*Progress // the jobs this runner runs
}

// New returns a runner on db. First it marks failed the jobs an earlier
// server left running, so none stays "running" for ever.
func New(ctx context.Context, db *store.DB, opts Options) (*Runner, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = time.Second
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = 15 * opts.Heartbeat
	}
	if opts.Keep <= 0 {
		opts.Keep = 7 * 24 * time.Hour
	}
	r := &Runner{db: db, log: opts.Logger, opts: opts, live: map[int64]*Progress{}}
	staleBefore := db.Now().Add(-opts.StaleAfter)
	if db.Engine == store.SQLite {
		staleBefore = db.Now().Add(time.Hour) // nobody else runs jobs on this file
	}
	if err := r.failInterrupted(ctx, staleBefore); err != nil {
		return nil, fmt.Errorf("jobs left running: %w", err)
	}
	r.stop, r.cancel = context.WithCancel(context.Background())
	r.wg.Add(1)
	go r.heartbeat()
	return r, nil
}

// Progress is how far a running job is; its Func sets it, pages read it.
type Progress struct {
	mu          sync.Mutex
	done, total int
	phase       string
}

// Set records that done of total units are done (total 0: not known yet).
func (p *Progress) Set(done, total int) {
	p.mu.Lock()
	p.done, p.total = done, total
	p.mu.Unlock()
}

// Phase records what the job is doing now, as its owner reads it.
func (p *Progress) Phase(text string) {
	p.mu.Lock()
	p.phase = text
	p.mu.Unlock()
}

func (p *Progress) read() (done, total int, phase string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done, p.total, p.phase
}

// Start records a job of kind about subject for owner and runs fn in the
// background. The job's context keeps ctx's values (who acts) but not its
// end: a request ends long before its import does. Only Close stops it.
func (r *Runner) Start(ctx context.Context, owner int64, kind vouch.JobKind, subject, title string, fn Func) (*vouch.Job, error) {
	// Counted before anything is written, under the lock Close takes, so
	// that Close waits for every job it did not refuse.
	r.mu.Lock()
	if r.stop.Err() != nil {
		r.mu.Unlock()
		return nil, vouch.Errorf(vouch.ECONFLICT, "Vouch is shutting down; start it again in a minute.")
	}
	r.wg.Add(1)
	r.mu.Unlock()
	j := &vouch.Job{OwnerID: owner, Kind: kind, Subject: subject, Title: title}
	if err := r.db.CreateJob(ctx, j); err != nil {
		r.wg.Done()
		return nil, err
	}
	p := &Progress{}
	r.mu.Lock()
	r.live[j.ID] = p
	r.mu.Unlock()
	jobCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stopWithRunner := context.AfterFunc(r.stop, cancel)
	go func() {
		defer r.wg.Done()
		defer cancel()
		defer stopWithRunner()
		r.run(jobCtx, j, p, fn)
	}()
	return j, nil
}

// run does a job's work and records its outcome.
func (r *Runner) run(ctx context.Context, j *vouch.Job, p *Progress, fn Func) {
	result, err := call(ctx, fn, p)
	var data []byte
	if err == nil {
		data, err = json.Marshal(result)
	}
	failure := ""
	switch {
	case err == nil:
	case r.stop.Err() != nil:
		failure = j.Kind.InterruptedMessage()
	case vouch.ErrorCode(err) == vouch.EINTERNAL:
		r.log.Error("job failed", "job", j.ID, "kind", j.Kind, "title", j.Title, "err", err)
		failure = "Vouch hit an unexpected problem while running this and has logged it."
	default:
		failure = vouch.ErrorMessage(err)
	}
	done, total, _ := p.read()
	if err == nil && total == 0 {
		total = done
	}
	// The job's context may be cancelled by now: the outcome is written regardless.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.db.FinishJob(wctx, j.ID, done, total, data, failure); err != nil {
		r.log.Error("recording a job's outcome", "job", j.ID, "err", err)
	}
	r.mu.Lock()
	delete(r.live, j.ID)
	r.mu.Unlock()
}

// call runs fn, turning a panic into the job's failure rather than the server's.
func call(ctx context.Context, fn Func, p *Progress) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job panicked: %v", v)
		}
	}()
	return fn(ctx, p)
}

// Job returns owner's job with id. Another person's job is as unknown as a
// made-up id.
func (r *Runner) Job(ctx context.Context, owner, id int64) (*vouch.Job, error) {
	j, err := r.db.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.OwnerID != owner {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Job %d not found.", id)
	}
	return r.withProgress(j), nil
}

// Latest returns owner's newest job of kind about subject, or an ENOTFOUND error.
func (r *Runner) Latest(ctx context.Context, owner int64, kind vouch.JobKind, subject string) (*vouch.Job, error) {
	j, err := r.db.LatestJob(ctx, owner, kind, subject)
	if err != nil {
		return nil, err
	}
	return r.withProgress(j), nil
}

// Recent lists owner's newest jobs of kind ("" for every kind), the latest
// run per subject, at most limit.
func (r *Runner) Recent(ctx context.Context, owner int64, kind vouch.JobKind, limit int) ([]*vouch.Job, error) {
	list, err := r.db.ListJobs(ctx, owner, kind, limit)
	for _, j := range list {
		r.withProgress(j)
	}
	return list, err
}

// Dismiss forgets owner's finished job: its outcome has been read.
func (r *Runner) Dismiss(ctx context.Context, owner, id int64) error {
	return r.db.DismissJob(ctx, owner, id)
}

// withProgress gives a job this runner runs its progress of this moment,
// fresher than the last heartbeat's.
func (r *Runner) withProgress(j *vouch.Job) *vouch.Job {
	if !j.Running() {
		return j
	}
	r.mu.Lock()
	p := r.live[j.ID]
	r.mu.Unlock()
	if p != nil {
		j.Done, j.Total, j.Phase = p.read()
	}
	return j
}

// Close stops the jobs still running (their transactions roll back, so
// nothing of them is written, and they are marked failed) and waits for
// them. Call it before closing the database.
func (r *Runner) Close() {
	r.closeOnce.Do(func() {
		r.mu.Lock()
		r.cancel()
		r.mu.Unlock()
		r.wg.Wait()
	})
}

// heartbeat writes the progress of the jobs this runner runs, marks failed
// those another server left behind, and deletes old outcomes, until Close.
func (r *Runner) heartbeat() {
	defer r.wg.Done()
	tick := time.NewTicker(r.opts.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.stop.Done():
			return
		case <-tick.C:
		}
		r.mu.Lock()
		live := make(map[int64]*Progress, len(r.live))
		for id, p := range r.live {
			live[id] = p
		}
		r.mu.Unlock()
		for id, p := range live {
			done, total, phase := p.read()
			if err := r.db.SaveJobProgress(r.stop, id, done, total, phase); err != nil && r.stop.Err() == nil {
				r.log.Warn("saving a job's progress", "job", id, "err", err)
			}
		}
		if err := r.failInterrupted(r.stop, r.db.Now().Add(-r.opts.StaleAfter)); err != nil && r.stop.Err() == nil {
			r.log.Warn("looking for interrupted jobs", "err", err)
		}
		if _, err := r.db.DeleteFinishedJobs(r.stop, r.db.Now().Add(-r.opts.Keep)); err != nil && r.stop.Err() == nil {
			r.log.Warn("deleting old jobs", "err", err)
		}
	}
}

// failInterrupted marks failed the running jobs not renewed since staleBefore
// and not run by this runner.
func (r *Runner) failInterrupted(ctx context.Context, staleBefore time.Time) error {
	r.mu.Lock()
	mine := make([]int64, 0, len(r.live))
	for id := range r.live {
		mine = append(mine, id)
	}
	r.mu.Unlock()
	failed, err := r.db.FailInterruptedJobs(ctx, staleBefore, mine)
	for _, j := range failed {
		r.log.Warn("a job was interrupted by a restart and is marked failed", "job", j.ID, "kind", j.Kind, "title", j.Title)
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
