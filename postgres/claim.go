package couponkitpg

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/couponkit/couponkit"
)

// DefaultTable is the table of a [ClaimStore] by default.
const DefaultTable = "couponkit_claims"

// ErrUnavailable is matched (with errors.Is) by the errors of a
// [ClaimStore] whose database could not be reached or answered an error.
// The error also wraps the driver's own error.
var ErrUnavailable = errors.New("couponkitpg: postgres unavailable")

// ErrNoClaim is returned by [ClaimStore.CompleteTx] when its context
// carries no claim of this store (see couponkit.HeldClaimFrom).
var ErrNoClaim = errors.New("couponkitpg: the context carries no claim of this store")

// DB is what a [ClaimStore] needs of a database handle: a *pgxpool.Pool, a
// *pgx.Conn or a pgx.Tx.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Config configures a [ClaimStore].
type Config struct {
	// Table is the claims' table, created by [ClaimStore.CreateTable] or by
	// hand with [Schema]: a name, or a schema and a name ("app.claims"),
	// of letters, digits and underscores. Default [DefaultTable].
	Table string
}

// ClaimStore is a [couponkit.ClaimStore] in one PostgreSQL table (see
// [Schema]), shared by every process using the same database and table.
//
// Each method is one statement (INSERT … ON CONFLICT … WHERE for a claim
// or a completion), so concurrent claimants never both acquire a key: a
// claim takes a key that is absent, or claimed with claimed_until at or
// before the caller's now, and the lease's end is stored as now+lease: a
// lease ends when the callers' clocks say so (a test advances a manual clock
// instead of waiting). Times are kept to the microsecond; a lease's end is
// rounded up to it.
//
// [ClaimStore.CompleteTx] completes a claim inside the caller's own
// transaction, so that a notification's effect and its "done" commit
// together: see the package documentation.
//
// Errors match [ErrUnavailable]. A ClaimStore is safe for concurrent use
// when its DB is (a *pgxpool.Pool is), and starts no goroutine.
type ClaimStore struct {
	db    DB
	table string // quoted
}

// tableName is a table name, optionally schema-qualified.
var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// NewClaimStore returns the claim store of cfg on db. It does not contact
// the database.
func NewClaimStore(db DB, cfg Config) (*ClaimStore, error) {
	if db == nil {
		return nil, errors.New("couponkitpg: nil database")
	}
	if cfg.Table == "" {
		cfg.Table = DefaultTable
	}
	if !tableName.MatchString(cfg.Table) {
		return nil, fmt.Errorf("couponkitpg: Config.Table %q is not a table name (letters, digits and underscores, optionally schema.table)", cfg.Table)
	}
	return &ClaimStore{db: db, table: quote(cfg.Table)}, nil
}

func quote(table string) string { return pgx.Identifier(strings.Split(table, ".")).Sanitize() }

// Schema returns the statement that creates the claims' table, if it does
// not exist. table is a name as in [Config.Table]; "" means [DefaultTable].
// For DefaultTable it is:
//
//	CREATE TABLE IF NOT EXISTS "couponkit_claims" (
//	  claim_key     text        PRIMARY KEY,
//	  state         text        NOT NULL CHECK (state IN ('claimed', 'done')),
//	  token         text        NOT NULL,
//	  claimed_until timestamptz,
//	  done_at       timestamptz,
//	  CHECK ((state = 'claimed') = (claimed_until IS NOT NULL))
//	)
//
// claim_key is the key claimed (for an e-Buy notification
// "ebuy:notify:" followed by its uuid); state is claimed or done; token is
// the holder's, or the completer's; claimed_until the end of a claim's
// lease, on the claimant's clock; done_at when it was completed.
func Schema(table string) string {
	if table == "" {
		table = DefaultTable
	}
	return schema(quote(table))
}

func schema(quoted string) string {
	return `CREATE TABLE IF NOT EXISTS ` + quoted + ` (
  claim_key     text        PRIMARY KEY,
  state         text        NOT NULL CHECK (state IN ('claimed', 'done')),
  token         text        NOT NULL,
  claimed_until timestamptz,
  done_at       timestamptz,
  CHECK ((state = 'claimed') = (claimed_until IS NOT NULL))
)`
}

// CreateTable creates the store's table if it does not exist ([Schema]).
func (s *ClaimStore) CreateTable(ctx context.Context) error {
	_, err := s.db.Exec(ctx, schema(s.table))
	return s.fail(ctx, "creating the table", err)
}

// tries bounds the retries of a statement whose row vanished between its
// two steps (released or pruned at that instant).
const tries = 5

// Claim implements [couponkit.ClaimStore].
func (s *ClaimStore) Claim(ctx context.Context, key string, lease time.Duration, now time.Time) (couponkit.Claim, error) {
	until := ceilMicro(now.Add(lease))
	token := couponkit.NewClaimToken()
	for range tries {
		var got time.Time
		err := s.db.QueryRow(ctx, `INSERT INTO `+s.table+` AS c (claim_key, state, token, claimed_until)
VALUES ($1, 'claimed', $2, $3)
ON CONFLICT (claim_key) DO UPDATE
  SET state = 'claimed', token = EXCLUDED.token, claimed_until = EXCLUDED.claimed_until, done_at = NULL
  WHERE c.state = 'claimed' AND c.claimed_until <= $4
RETURNING claimed_until`, key, token, until, now).Scan(&got)
		if err == nil {
			return couponkit.Claim{State: couponkit.ClaimAcquired, Token: token, Until: got}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return couponkit.Claim{}, s.fail(ctx, "claiming "+key, err)
		}
		var state string
		var held *time.Time
		err = s.db.QueryRow(ctx, `SELECT state, claimed_until FROM `+s.table+` WHERE claim_key = $1`, key).Scan(&state, &held)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			continue // released in between: claim again
		case err != nil:
			return couponkit.Claim{}, s.fail(ctx, "claiming "+key, err)
		case state == "done":
			return couponkit.Claim{State: couponkit.ClaimDone}, nil
		case held != nil:
			return couponkit.Claim{State: couponkit.ClaimHeld, Until: *held}, nil
		}
		return couponkit.Claim{}, fmt.Errorf("%w: claiming %s: row in state %q", ErrUnavailable, key, state)
	}
	return couponkit.Claim{}, fmt.Errorf("%w: claiming %s: the row kept vanishing", ErrUnavailable, key)
}

// Complete implements [couponkit.ClaimStore].
func (s *ClaimStore) Complete(ctx context.Context, key, token string, now time.Time) error {
	return s.complete(ctx, s.db, key, token, now)
}

// CompleteTx completes the claim ctx carries (couponkit.HeldClaimFrom: the
// claim a notification handler's function runs under) through tx, the
// caller's own transaction: the claim is done if, and only if, tx commits.
// Call it in the transaction that applies the event's effect, just before
// committing; on an error, roll back. It returns [ErrNoClaim] when ctx
// carries no claim of this store, and couponkit.ErrClaimLost when the lease
// ended and another holder claimed the key (or completed it): the effect
// must then not be committed, since that holder applies it.
//
// CompleteTx locks the claim's row until tx ends: other deliveries of the
// event wait for the commit, then find it done.
func (s *ClaimStore) CompleteTx(ctx context.Context, tx DB, now time.Time) error {
	c, ok := couponkit.HeldClaimFrom(ctx)
	if !ok || c.Store != couponkit.ClaimStore(s) {
		return ErrNoClaim
	}
	return s.complete(ctx, tx, c.Key, c.Token, now)
}

func (s *ClaimStore) complete(ctx context.Context, db DB, key, token string, now time.Time) error {
	for range tries {
		var one int
		err := db.QueryRow(ctx, `INSERT INTO `+s.table+` AS c (claim_key, state, token, done_at)
VALUES ($1, 'done', $2, $3)
ON CONFLICT (claim_key) DO UPDATE
  SET state = 'done', claimed_until = NULL, done_at = EXCLUDED.done_at
  WHERE c.state = 'claimed' AND c.token = EXCLUDED.token
RETURNING 1`, key, token, now).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return s.fail(ctx, "completing "+key, err)
		}
		var state, by string
		err = db.QueryRow(ctx, `SELECT state, token FROM `+s.table+` WHERE claim_key = $1`, key).Scan(&state, &by)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			continue // released in between: insert it done
		case err != nil:
			return s.fail(ctx, "completing "+key, err)
		case state == "done" && by == token:
			return nil
		}
		return couponkit.ErrClaimLost // held, or completed, by another
	}
	return fmt.Errorf("%w: completing %s: the row kept vanishing", ErrUnavailable, key)
}

// Release implements [couponkit.ClaimStore].
func (s *ClaimStore) Release(ctx context.Context, key, token string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM `+s.table+` WHERE claim_key = $1 AND state = 'claimed' AND token = $2`, key, token)
	return s.fail(ctx, "releasing "+key, err)
}

// Prune deletes the keys done before before, and the claims whose lease
// ended before it (their holders died), and returns how many rows it
// deleted. A key pruned is forgotten: its event, delivered again, is
// handled again, so keep done keys longer than the sender keeps re-sending.
func (s *ClaimStore) Prune(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM `+s.table+`
WHERE (state = 'done' AND done_at < $1) OR (state = 'claimed' AND claimed_until < $1)`, before)
	if err != nil {
		return 0, s.fail(ctx, "pruning", err)
	}
	return tag.RowsAffected(), nil
}

// fail wraps err in ErrUnavailable, but the caller's own cancellation.
func (s *ClaimStore) fail(ctx context.Context, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}

// ceilMicro rounds t up to the microsecond, PostgreSQL's precision.
func ceilMicro(t time.Time) time.Time {
	if r := t.Truncate(time.Microsecond); r.Before(t) {
		return r.Add(time.Microsecond)
	}
	return t
}

var _ couponkit.ClaimStore = (*ClaimStore)(nil)
