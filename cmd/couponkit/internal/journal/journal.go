// Package journal records bulk jobs and their items in an SQLite file, so a
// job killed half-way can be resumed: an item's idempotency key is written
// (state sent) before its request goes out, and its outcome after.
package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	Failed  = "failed"  // definitely refused
	Unknown = "unknown" // outcome unknown
	Checked = "checked" // an unknown outcome resolved by a query call
)

const schema = `
CREATE TABLE IF NOT EXISTS job (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	vendor TEXT NOT NULL,
	args TEXT NOT NULL,
	created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item (
	job INTEGER NOT NULL REFERENCES job(id),
	seq INTEGER NOT NULL,
	input TEXT NOT NULL,
	key TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL,
	result TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (job, seq)
);
CREATE INDEX IF NOT EXISTS item_state ON item(job, state);
`

// Journal is an open journal file. It is safe for concurrent use.
type Journal struct {
	db *sql.DB
}

// Job is a recorded job.
type Job struct {
	ID      int64           `json:"id"`
	Kind    string          `json:"kind"`
	Vendor  string          `json:"vendor"`
	Args    json.RawMessage `json:"args"`
	Created time.Time       `json:"created"`
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
}

// Open opens (creating if needed) the journal at path, in WAL mode.
func Open(path string) (*Journal, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One connection: SQLite has one writer anyway, and this avoids SQLITE_BUSY
	// between the job's goroutines.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return &Journal{db: db}, nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.db.Close() }

// CreateJob records a job with its (credential-free) arguments.
func (j *Journal) CreateJob(ctx context.Context, kind, vendor string, args any) (int64, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return 0, err
	}
	res, err := j.db.ExecContext(ctx, `INSERT INTO job(kind, vendor, args, created) VALUES(?,?,?,?)`,
		kind, vendor, string(b), time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Job returns job id.
func (j *Journal) Job(ctx context.Context, id int64) (Job, error) {
	var jb Job
	var args, created string
	err := j.db.QueryRowContext(ctx, `SELECT id, kind, vendor, args, created FROM job WHERE id=?`, id).
		Scan(&jb.ID, &jb.Kind, &jb.Vendor, &args, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return jb, fmt.Errorf("journal: no job %d", id)
	}
	if err != nil {
		return jb, err
	}
	jb.Args = json.RawMessage(args)
	jb.Created, _ = time.Parse(time.RFC3339Nano, created)
	return jb, nil
}

// Jobs lists every job, oldest first.
func (j *Journal) Jobs(ctx context.Context) ([]Job, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT id FROM job ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
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
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO item(job, seq, input, key, state, result, error) VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, it := range items {
		state := it.State
		if state == "" {
			state = Pending
		}
		if _, err := st.ExecContext(ctx, it.Job, it.Seq, string(it.Input), it.Key, state, string(it.Result), it.Error); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// MarkSent records key as the item's idempotency key and its state sent,
// with pre as its result until the outcome is known (what a later check
// needs; nil: none). Call it before the request goes out.
func (j *Journal) MarkSent(ctx context.Context, job, seq int64, key string, pre json.RawMessage) error {
	return j.exec(ctx, `UPDATE item SET state=?, key=?, result=? WHERE job=? AND seq=?`, Sent, key, string(pre), job, seq)
}

// Finish records an item's outcome: its state, result and error text.
func (j *Journal) Finish(ctx context.Context, job, seq int64, state string, result any, errText string) error {
	var res string
	if result != nil {
		b, err := json.Marshal(result)
		if err != nil {
			return err
		}
		res = string(b)
	}
	return j.exec(ctx, `UPDATE item SET state=?, result=?, error=? WHERE job=? AND seq=?`, state, res, errText, job, seq)
}

func (j *Journal) exec(ctx context.Context, q string, args ...any) error {
	res, err := j.db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("journal: %d rows updated", n)
	}
	return nil
}

// Items returns a job's items in seq order, only those in states when given.
func (j *Journal) Items(ctx context.Context, job int64, states ...string) ([]Item, error) {
	q := `SELECT job, seq, input, key, state, result, error FROM item WHERE job=?`
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
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var in, res string
		if err := rows.Scan(&it.Job, &it.Seq, &in, &it.Key, &it.State, &res, &it.Error); err != nil {
			return nil, err
		}
		it.Input = json.RawMessage(in)
		if res != "" {
			it.Result = json.RawMessage(res)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Counts returns how many items of job are in each state.
func (j *Journal) Counts(ctx context.Context, job int64) (map[string]int, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM item WHERE job=? GROUP BY state`, job)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// DeleteAfter removes job's items whose seq is above seq (an export's pages
// past the last one whose outcome was committed).
func (j *Journal) DeleteAfter(ctx context.Context, job, seq int64) error {
	_, err := j.db.ExecContext(ctx, `DELETE FROM item WHERE job=? AND seq>?`, job, seq)
	return err
}

// MaxSeq returns the largest seq of job, or 0.
func (j *Journal) MaxSeq(ctx context.Context, job int64) (int64, error) {
	var n sql.NullInt64
	err := j.db.QueryRowContext(ctx, `SELECT MAX(seq) FROM item WHERE job=?`, job).Scan(&n)
	return n.Int64, err
}
