// Package journal records bulk jobs and their items in an SQLite file, so a
// job killed half-way can be resumed: a job is planned (its row, every item
// and its runner's lock) in one transaction; an item's idempotency key is
// written (state sent) right before its request leaves, and its outcome
// after. One process runs a job at a time: it holds the job's lock (see
// Lock), and every write of an item's state checks that it still does.
package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite driver
)

// DefaultPath is the journal file used when --journal is not given.
const DefaultPath = "couponkit-journal.db"

// Item states.
const (
	Pending = "pending" // planned, not sent
	Sent    = "sent"    // key recorded, request may have left
	Done    = "done"    // applied
	Failed  = "failed"  // definitely refused (or malformed, never sent)
	Unknown = "unknown" // outcome unknown
	Checked = "checked" // an unknown outcome resolved by a query call
	Split   = "split"   // a chunk refused as a whole, sent again as one item per row
	Skipped = "skipped" // a row repeating an earlier one, left out (--skip-repeats)
)

const schema = `
CREATE TABLE IF NOT EXISTS job (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	vendor TEXT NOT NULL,
	args TEXT NOT NULL,
	created TEXT NOT NULL,
	input_hash TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS item (
	job INTEGER NOT NULL REFERENCES job(id),
	seq INTEGER NOT NULL,
	input TEXT NOT NULL,
	key TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL,
	result TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (job, seq)
);
CREATE INDEX IF NOT EXISTS item_state ON item(job, state);
CREATE TABLE IF NOT EXISTS runner (
	job INTEGER PRIMARY KEY REFERENCES job(id),
	token TEXT NOT NULL,
	owner TEXT NOT NULL,
	pid INTEGER NOT NULL,
	host TEXT NOT NULL,
	started TEXT NOT NULL,
	heartbeat TEXT NOT NULL
);
`

// columns added since the first version of the file, added to an older
// journal when it is opened.
var added = []struct{ table, column, decl string }{
	{"job", "input_hash", "TEXT NOT NULL DEFAULT ''"},
	{"job", "source", "TEXT NOT NULL DEFAULT ''"},
	{"item", "note", "TEXT NOT NULL DEFAULT ''"},
}

// Journal is an open journal file. It is safe for concurrent use.
type Journal struct {
	db   *sql.DB
	path string
}

// Job is a recorded job.
type Job struct {
	ID      int64           `json:"id"`
	Kind    string          `json:"kind"`
	Vendor  string          `json:"vendor"`
	Args    json.RawMessage `json:"args"`
	Created time.Time       `json:"created"`
	// InputHash is the SHA-256 (hex) of the input file the job was planned
	// from; empty for exports and jobs of older journals.
	InputHash string `json:"inputHash,omitempty"`
	// Source is the input's name as given (--from).
	Source string `json:"source,omitempty"`
}

// Item is one unit of a job: one request (a chunk of codes, one redemption,
// one export page).
type Item struct {
	Job    int64           `json:"job"`
	Seq    int64           `json:"seq"`
	Input  json.RawMessage `json:"input"`
	Key    string          `json:"key"`
	State  string          `json:"state"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
	// Note says who settled an item by hand, when and why.
	Note string `json:"note,omitempty"`
}

// Open opens (creating if needed) the journal at path, in WAL mode.
func Open(path string) (*Journal, error) {
	// _txlock=immediate: a transaction takes the write lock when it begins,
	// so one that reads before it writes (a lock's check) never fails on
	// another process's write in between.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &pathError{path: path, err: err}
	}
	// One connection: SQLite has one writer anyway, and this avoids SQLITE_BUSY
	// between the job's goroutines.
	db.SetMaxOpenConns(1)
	j := &Journal{db: db, path: path}
	if err := j.migrate(); err != nil {
		db.Close()
		return nil, j.wrap(err)
	}
	return j, nil
}

// OpenExisting opens the journal at path, which must exist: a command that
// only reads a journal or resumes a job never creates one.
func OpenExisting(path string) (*Journal, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("journal %s: no such file (--journal names the file a job was run with): %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("journal %s: a folder, not a journal file", path)
	}
	return Open(path)
}

// Path returns the journal's file name as given to Open.
func (j *Journal) Path() string { return j.path }

func (j *Journal) migrate() error {
	if _, err := j.db.Exec(schema); err != nil {
		return err
	}
	for _, a := range added {
		var n int
		if err := j.db.QueryRow(`SELECT COUNT(*) FROM pragma_table_info(?) WHERE name=?`, a.table, a.column).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := j.db.Exec(`ALTER TABLE ` + a.table + ` ADD COLUMN ` + a.column + ` ` + a.decl); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.wrap(j.db.Close()) }

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// JobSpec is what a new job is recorded with.
type JobSpec struct {
	Kind, Vendor string
	// Args are the job's (credential-free) arguments.
	Args any
	// InputHash and Source identify the input (see Job).
	InputHash, Source string
}

// CreateJob records a job with its (credential-free) arguments, without
// items and without a runner's lock (tests build journals with it).
func (j *Journal) CreateJob(ctx context.Context, kind, vendor string, args any) (int64, error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, j.wrap(err)
	}
	defer tx.Rollback()
	id, err := insertJob(ctx, tx, JobSpec{Kind: kind, Vendor: vendor, Args: args})
	if err != nil {
		return 0, j.wrap(err)
	}
	return id, j.wrap(tx.Commit())
}

func insertJob(ctx context.Context, tx *sql.Tx, s JobSpec) (int64, error) {
	b, err := json.Marshal(s.Args)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO job(kind, vendor, args, created, input_hash, source) VALUES(?,?,?,?,?,?)`,
		s.Kind, s.Vendor, string(b), now(), s.InputHash, s.Source)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Plan records a new job, its items (their Job set to the new id) and this
// process as the job's runner, in one transaction: a job is in the journal
// with every item and locked, or not at all. The caller releases the lock.
func (j *Journal) Plan(ctx context.Context, s JobSpec, items []Item) (*Lock, error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, j.wrap(err)
	}
	defer tx.Rollback()
	id, err := insertJob(ctx, tx, s)
	if err != nil {
		return nil, j.wrap(err)
	}
	for i := range items {
		items[i].Job = id
	}
	if err := insertItems(ctx, tx, items); err != nil {
		return nil, j.wrap(err)
	}
	l := j.newLock(id)
	if err := l.insert(ctx, tx); err != nil {
		return nil, j.wrap(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, j.wrap(err)
	}
	l.start()
	return l, nil
}

// Job returns job id.
func (j *Journal) Job(ctx context.Context, id int64) (Job, error) {
	var jb Job
	var args, created string
	err := j.db.QueryRowContext(ctx, `SELECT id, kind, vendor, args, created, input_hash, source FROM job WHERE id=?`, id).
		Scan(&jb.ID, &jb.Kind, &jb.Vendor, &args, &created, &jb.InputHash, &jb.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return jb, fmt.Errorf("journal %s: no job %d", j.path, id)
	}
	if err != nil {
		return jb, j.wrap(err)
	}
	jb.Args = json.RawMessage(args)
	jb.Created, _ = time.Parse(time.RFC3339Nano, created)
	return jb, nil
}

// Jobs lists every job, oldest first.
func (j *Journal) Jobs(ctx context.Context) ([]Job, error) {
	return j.jobs(ctx, `SELECT id FROM job ORDER BY id`)
}

// JobsOfInput lists the jobs of kind and vendor planned from an input whose
// SHA-256 is hash, oldest first.
func (j *Journal) JobsOfInput(ctx context.Context, kind, vendor, hash string) ([]Job, error) {
	return j.jobs(ctx, `SELECT id FROM job WHERE kind=? AND vendor=? AND input_hash=? ORDER BY id`, kind, vendor, hash)
}

func (j *Journal) jobs(ctx context.Context, q string, args ...any) ([]Job, error) {
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, j.wrap(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, j.wrap(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]Job, 0, len(ids))
	for _, id := range ids {
		jb, err := j.Job(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, jb)
	}
	return out, nil
}

// AddItems records items (state pending unless set) in one transaction,
// each with its key, result and error as given: an item recorded done with
// its result is one commit, never a done row without its result.
func (j *Journal) AddItems(ctx context.Context, items []Item) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return j.wrap(err)
	}
	defer tx.Rollback()
	if err := insertItems(ctx, tx, items); err != nil {
		return j.wrap(err)
	}
	return j.wrap(tx.Commit())
}

func insertItems(ctx context.Context, tx *sql.Tx, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO item(job, seq, input, key, state, result, error, note) VALUES(?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, it := range items {
		state := it.State
		if state == "" {
			state = Pending
		}
		if _, err := st.ExecContext(ctx, it.Job, it.Seq, string(it.Input), it.Key, state, string(it.Result), it.Error, it.Note); err != nil {
			return err
		}
	}
	return nil
}

// Finish records an item's outcome (its state, result and error text)
// without a runner's lock: for tests that build a journal. A run records
// outcomes through its Lock.
func (j *Journal) Finish(ctx context.Context, job, seq int64, state string, result any, errText string) error {
	res, err := marshal(result)
	if err != nil {
		return err
	}
	return j.exec(ctx, `UPDATE item SET state=?, result=?, error=? WHERE job=? AND seq=?`, state, res, errText, job, seq)
}

func marshal(result any) (string, error) {
	if result == nil {
		return "", nil
	}
	if r, ok := result.(json.RawMessage); ok {
		return string(r), nil
	}
	b, err := json.Marshal(result)
	return string(b), err
}

func (j *Journal) exec(ctx context.Context, q string, args ...any) error {
	res, err := j.db.ExecContext(ctx, q, args...)
	if err != nil {
		return j.wrap(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("journal %s: %d rows updated, want 1", j.path, n)
	}
	return nil
}

// Items returns a job's items in seq order, only those in states when given.
func (j *Journal) Items(ctx context.Context, job int64, states ...string) ([]Item, error) {
	q := `SELECT job, seq, input, key, state, result, error, note FROM item WHERE job=?`
	args := []any{job}
	if len(states) > 0 {
		q += ` AND state IN (` + strings.TrimSuffix(strings.Repeat("?,", len(states)), ",") + `)`
		for _, s := range states {
			args = append(args, s)
		}
	}
	q += ` ORDER BY seq`
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, j.wrap(err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var in, res string
		if err := rows.Scan(&it.Job, &it.Seq, &in, &it.Key, &it.State, &res, &it.Error, &it.Note); err != nil {
			return nil, j.wrap(err)
		}
		it.Input = json.RawMessage(in)
		if res != "" {
			it.Result = json.RawMessage(res)
		}
		out = append(out, it)
	}
	return out, j.wrap(rows.Err())
}

// Counts returns how many items of job are in each state.
func (j *Journal) Counts(ctx context.Context, job int64) (map[string]int, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM item WHERE job=? GROUP BY state`, job)
	if err != nil {
		return nil, j.wrap(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, j.wrap(err)
		}
		out[s] = n
	}
	return out, j.wrap(rows.Err())
}

// DeleteAfter removes job's items whose seq is above seq (an export's pages
// past the last one whose outcome was committed).
func (j *Journal) DeleteAfter(ctx context.Context, job, seq int64) error {
	_, err := j.db.ExecContext(ctx, `DELETE FROM item WHERE job=? AND seq>?`, job, seq)
	return j.wrap(err)
}

// MaxSeq returns the largest seq of job, or 0.
func (j *Journal) MaxSeq(ctx context.Context, job int64) (int64, error) {
	var n sql.NullInt64
	err := j.db.QueryRowContext(ctx, `SELECT MAX(seq) FROM item WHERE job=?`, job).Scan(&n)
	return n.Int64, j.wrap(err)
}

// Settle records by hand the outcome of an item left sent or unknown, after
// someone checked it with the vendor: state is Done or Failed, note says
// why (it is recorded with the operator's name and the time). It refuses
// while a run holds the job (a *HeldError), and for an item whose outcome
// is already recorded.
func (j *Journal) Settle(ctx context.Context, job, seq int64, state, note string) error {
	if state != Done && state != Failed {
		return fmt.Errorf("an item is settled done or failed, not %q", state)
	}
	me := Me()
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return j.wrap(err)
	}
	defer tx.Rollback()
	if h, ok, err := holderOf(ctx, tx, job); err != nil {
		return j.wrap(err)
	} else if ok && h.alive(time.Now(), StaleAfter) {
		return &HeldError{Job: job, Holder: h}
	}
	var cur string
	err = tx.QueryRowContext(ctx, `SELECT state FROM item WHERE job=? AND seq=?`, job, seq).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("journal %s: no item %d in job %d", j.path, seq, job)
	}
	if err != nil {
		return j.wrap(err)
	}
	if cur != Sent && cur != Unknown {
		return fmt.Errorf("journal %s: item %d of job %d is %s, not of unknown outcome (sent or unknown): nothing to settle", j.path, seq, job, cur)
	}
	text := fmt.Sprintf("settled %s by %s on %s at %s (was %s): %s", state, me.Owner, me.Host, time.Now().UTC().Format(time.RFC3339), cur, note)
	if _, err := tx.ExecContext(ctx, `UPDATE item SET state=?, note=? WHERE job=? AND seq=?`, state, text, job, seq); err != nil {
		return j.wrap(err)
	}
	return j.wrap(tx.Commit())
}

// ResultsByKey returns, by key, the result journaled for the items of the
// jobs of kind and vendor that have one (done or checked items; a later job's
// result replaces an earlier one's for the same key).
func (j *Journal) ResultsByKey(ctx context.Context, kind, vendor string) (map[string]json.RawMessage, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT item.key, item.result FROM item JOIN job ON job.id = item.job
		WHERE job.kind=? AND job.vendor=? AND item.state IN (?,?) AND item.key != '' AND item.result != ''
		ORDER BY item.job, item.seq`, kind, vendor, Done, Checked)
	if err != nil {
		return nil, j.wrap(err)
	}
	defer rows.Close()
	out := map[string]json.RawMessage{}
	for rows.Next() {
		var key, res string
		if err := rows.Scan(&key, &res); err != nil {
			return nil, j.wrap(err)
		}
		out[key] = json.RawMessage(res)
	}
	return out, j.wrap(rows.Err())
}
