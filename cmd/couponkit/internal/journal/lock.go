package journal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"sync"
	"time"
)

// HeartbeatEvery is how often a run records that it is alive; StaleAfter is
// how long after its last heartbeat a run on another host (or one whose
// process cannot be checked) is taken for dead and its job may be taken over.
const (
	HeartbeatEvery = 5 * time.Second
	StaleAfter     = time.Minute
)

// ErrLockLost is matched by the error of a write made after the run's lock
// was taken over by another run (its heartbeat had gone stale): nothing more
// is sent.
var ErrLockLost = errors.New("this run no longer holds the job: another run took it over")

// Holder is the run holding a job.
type Holder struct {
	Owner     string    `json:"owner"`
	PID       int       `json:"pid"`
	Host      string    `json:"host"`
	Started   time.Time `json:"started"`
	Heartbeat time.Time `json:"heartbeat"`
}

// Me returns this process as a holder (times unset).
func Me() Holder {
	h := Holder{PID: os.Getpid(), Owner: os.Getenv("USER")}
	if u, err := user.Current(); err == nil && u.Username != "" {
		h.Owner = u.Username
	}
	if h.Owner == "" {
		h.Owner = "?"
	}
	h.Host, _ = os.Hostname()
	return h
}

// alive reports whether the holder must be taken to be running at now: its
// heartbeat is fresh, and, on this host, its process still exists. A
// holder on this host whose process is gone is dead at once; any holder
// whose heartbeat is older than stale is dead.
func (h Holder) alive(now time.Time, stale time.Duration) bool {
	if now.Sub(h.Heartbeat) > stale {
		return false
	}
	if me, _ := os.Hostname(); me != "" && me == h.Host {
		return processAlive(h.PID)
	}
	return true
}

func (h Holder) String() string {
	return fmt.Sprintf("%s (pid %d on host %s, started %s, last heartbeat %s ago)", h.Owner, h.PID, h.Host,
		h.Started.Local().Format("2006-01-02 15:04:05"), time.Since(h.Heartbeat).Round(time.Second))
}

// HeldError is the error of a run refused because another run holds the job.
type HeldError struct {
	Job    int64
	Holder Holder
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("job %d is being run by %s; wait for that run to end, or stop it and resume (a run that was killed is taken over: on the same host at once, from another host %s after its last heartbeat)",
		e.Job, e.Holder, StaleAfter)
}

// Lock is a run's hold on a job: one row per job in the journal, with the
// run's token, refreshed every HeartbeatEvery until Release. Every state
// change a run makes through its Lock checks the token in the same
// statement, so a run whose job was taken over sends nothing more.
type Lock struct {
	j     *Journal
	job   int64
	token string
	me    Holder
	// TookOver is the holder whose stale lock this run took over, if any.
	TookOver *Holder

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

func (j *Journal) newLock(job int64) *Lock {
	b := make([]byte, 16)
	rand.Read(b)
	me := Me()
	me.Started = time.Now()
	me.Heartbeat = me.Started
	return &Lock{j: j, job: job, token: hex.EncodeToString(b), me: me, stop: make(chan struct{})}
}

// Job returns the locked job's id.
func (l *Lock) Job() int64 { return l.job }

// Journal returns the journal the lock is in.
func (l *Lock) Journal() *Journal { return l.j }

func (l *Lock) insert(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO runner(job, token, owner, pid, host, started, heartbeat) VALUES(?,?,?,?,?,?,?)`,
		l.job, l.token, l.me.Owner, l.me.PID, l.me.Host, l.me.Started.UTC().Format(time.RFC3339Nano), l.me.Heartbeat.UTC().Format(time.RFC3339Nano))
	return err
}

func holderOf(ctx context.Context, tx *sql.Tx, job int64) (Holder, bool, error) {
	var h Holder
	var started, beat string
	err := tx.QueryRowContext(ctx, `SELECT owner, pid, host, started, heartbeat FROM runner WHERE job=?`, job).
		Scan(&h.Owner, &h.PID, &h.Host, &started, &beat)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, err
	}
	h.Started, _ = time.Parse(time.RFC3339Nano, started)
	h.Heartbeat, _ = time.Parse(time.RFC3339Nano, beat)
	return h, true, nil
}

// Acquire makes this process the runner of job: it refuses with a
// *HeldError while another run holds it, and takes over the lock of a run
// that is dead (see Holder). The caller releases the lock.
func (j *Journal) Acquire(ctx context.Context, job int64) (*Lock, error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, j.wrap(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM job WHERE id=?`, job).Scan(&n); err != nil {
		return nil, j.wrap(err)
	}
	if n == 0 {
		return nil, fmt.Errorf("journal %s: no job %d", j.path, job)
	}
	h, held, err := holderOf(ctx, tx, job)
	if err != nil {
		return nil, j.wrap(err)
	}
	l := j.newLock(job)
	if held {
		if h.alive(time.Now(), StaleAfter) {
			return nil, &HeldError{Job: job, Holder: h}
		}
		l.TookOver = &h
	}
	if err := l.insert(ctx, tx); err != nil {
		return nil, j.wrap(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, j.wrap(err)
	}
	l.start()
	return l, nil
}

func (l *Lock) start() {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				_, _ = l.j.db.Exec(`UPDATE runner SET heartbeat=? WHERE job=? AND token=?`, now(), l.job, l.token)
			}
		}
	}()
}

// Release stops the heartbeat and removes the lock (if this run still holds
// it). It is safe to call more than once.
func (l *Lock) Release() error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		l.wg.Wait()
		_, err = l.j.db.Exec(`DELETE FROM runner WHERE job=? AND token=?`, l.job, l.token)
	})
	return l.j.wrap(err)
}

const holds = ` AND EXISTS (SELECT 1 FROM runner WHERE runner.job=item.job AND runner.token=?)`

// update runs an item update that checks the lock, reporting ErrLockLost
// when the run no longer holds the job and an error when no item matched.
func (l *Lock) update(ctx context.Context, seq int64, q string, args ...any) error {
	res, err := l.j.db.ExecContext(ctx, q+holds, append(args, l.token)...)
	if err != nil {
		return l.j.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var tok string
	err = l.j.db.QueryRowContext(ctx, `SELECT token FROM runner WHERE job=?`, l.job).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && tok != l.token) {
		return fmt.Errorf("job %d, item %d: %w", l.job, seq, ErrLockLost)
	}
	if err != nil {
		return l.j.wrap(err)
	}
	return fmt.Errorf("journal %s: job %d has no item %d in a state to update", l.j.path, l.job, seq)
}

// MarkSent records key as the item's idempotency key and its state sent,
// with pre as its result until the outcome is known (what a later check
// needs; nil: none). Call it right before the request leaves.
func (l *Lock) MarkSent(ctx context.Context, seq int64, key string, pre []byte) error {
	return l.update(ctx, seq, `UPDATE item SET state=?, key=?, result=? WHERE job=? AND seq=? AND state IN (?,?,?)`,
		Sent, key, string(pre), l.job, seq, Pending, Sent, Unknown)
}

// Finish records an item's outcome: its state, result and error text.
func (l *Lock) Finish(ctx context.Context, seq int64, state string, result any, errText string) error {
	res, err := marshal(result)
	if err != nil {
		return err
	}
	return l.update(ctx, seq, `UPDATE item SET state=?, result=?, error=? WHERE job=? AND seq=?`, state, res, errText, l.job, seq)
}

// Split records item seq as split (refused as a whole with errText) and
// adds children, one item per row, in one transaction, numbering them after
// the job's last item. It returns the children as recorded.
func (l *Lock) Split(ctx context.Context, seq int64, errText string, children []Item) ([]Item, error) {
	tx, err := l.j.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, l.j.wrap(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE item SET state=?, error=? WHERE job=? AND seq=?`+holds, Split, errText, l.job, seq, l.token)
	if err != nil {
		return nil, l.j.wrap(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, fmt.Errorf("job %d, item %d: %w", l.job, seq, ErrLockLost)
	}
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM item WHERE job=?`, l.job).Scan(&last); err != nil {
		return nil, l.j.wrap(err)
	}
	for i := range children {
		children[i].Job = l.job
		children[i].Seq = last.Int64 + int64(i) + 1
		if children[i].State == "" {
			children[i].State = Pending
		}
	}
	if err := insertItems(ctx, tx, children); err != nil {
		return nil, l.j.wrap(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, l.j.wrap(err)
	}
	return children, nil
}

// AddItems records items of the locked job, as Journal.AddItems, checking
// that this run still holds it.
func (l *Lock) AddItems(ctx context.Context, items []Item) error {
	tx, err := l.j.db.BeginTx(ctx, nil)
	if err != nil {
		return l.j.wrap(err)
	}
	defer tx.Rollback()
	var tok string
	err = tx.QueryRowContext(ctx, `SELECT token FROM runner WHERE job=?`, l.job).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && tok != l.token) {
		return fmt.Errorf("job %d: %w", l.job, ErrLockLost)
	}
	if err != nil {
		return l.j.wrap(err)
	}
	if err := insertItems(ctx, tx, items); err != nil {
		return l.j.wrap(err)
	}
	return l.j.wrap(tx.Commit())
}
