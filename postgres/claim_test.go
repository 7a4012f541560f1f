package couponkitpg_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/fleettest"
	couponkitpg "github.com/couponkit/couponkit/postgres"
)

func TestClaimStoreContract(t *testing.T) {
	t.Parallel()
	s := newStore(t, newPool(t))
	couponkittest.RunClaimStoreTests(t, func(*testing.T) couponkit.ClaimStore { return s })
}

// TestSchema: the documented table, and the names a Config accepts.
func TestSchema(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `CREATE TABLE IF NOT EXISTS "couponkit_claims" (
  claim_key     text        PRIMARY KEY,
  state         text        NOT NULL CHECK (state IN ('claimed', 'done')),
  token         text        NOT NULL,
  claimed_until timestamptz,
  done_at       timestamptz,
  CHECK ((state = 'claimed') = (claimed_until IS NOT NULL))
)`, couponkitpg.Schema(""))
	assert.Contains(t, couponkitpg.Schema("app.claims"), `CREATE TABLE IF NOT EXISTS "app"."claims" (`)

	pool := newPool(t)
	for _, bad := range []string{"claims; DROP TABLE x", `"claims"`, "a.b.c", "1claims", "claims-x"} {
		_, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: bad})
		assert.ErrorContains(t, err, "Config.Table", bad)
	}
	_, err := couponkitpg.NewClaimStore(nil, couponkitpg.Config{})
	assert.Error(t, err)

	// A schema-qualified table works.
	ctx := context.Background()
	schema := "s_" + couponkit.NewClaimToken()[:12]
	_, err = pool.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	s, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: schema + ".claims"})
	require.NoError(t, err)
	require.NoError(t, s.CreateTable(ctx))
	require.NoError(t, s.CreateTable(ctx), "IF NOT EXISTS")
	c, err := s.Claim(ctx, "k", time.Minute, time.Now())
	require.NoError(t, err)
	assert.Equal(t, couponkit.ClaimAcquired, c.State)
}

// row is a claim's row as SQL reads it.
type row struct {
	State        string
	Token        string
	ClaimedUntil *time.Time
	DoneAt       *time.Time
}

func readRow(t *testing.T, pool *pgxpool.Pool, table, key string) (row, bool) {
	t.Helper()
	var r row
	err := pool.QueryRow(context.Background(), `SELECT state, token, claimed_until, done_at FROM `+table+` WHERE claim_key = $1`, key).
		Scan(&r.State, &r.Token, &r.ClaimedUntil, &r.DoneAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false
	}
	require.NoError(t, err)
	return r, true
}

// TestClaimStoreRows: what each method leaves in the table, read with SQL;
// Prune.
func TestClaimStoreRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t)
	table := newTable()
	s, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: table})
	require.NoError(t, err)
	require.NoError(t, s.CreateTable(ctx))
	now := time.Date(2024, 5, 17, 10, 0, 0, 300, time.UTC) // 300 ns past the second

	c, err := s.Claim(ctx, "ebuy:notify:u1", 90*time.Second, now)
	require.NoError(t, err)
	want := time.Date(2024, 5, 17, 10, 1, 30, 1000, time.UTC) // rounded up to the microsecond
	assert.True(t, want.Equal(c.Until), "%v", c.Until)
	r, ok := readRow(t, pool, table, "ebuy:notify:u1")
	require.True(t, ok)
	assert.Equal(t, "claimed", r.State)
	assert.Equal(t, c.Token, r.Token)
	require.NotNil(t, r.ClaimedUntil)
	assert.True(t, want.Equal(*r.ClaimedUntil))
	assert.Nil(t, r.DoneAt)

	require.NoError(t, s.Complete(ctx, "ebuy:notify:u1", c.Token, now.Add(time.Second)))
	r, ok = readRow(t, pool, table, "ebuy:notify:u1")
	require.True(t, ok)
	assert.Equal(t, "done", r.State)
	assert.Nil(t, r.ClaimedUntil)
	require.NotNil(t, r.DoneAt)
	assert.True(t, now.Add(time.Second).Truncate(time.Microsecond).Equal(*r.DoneAt))

	c2, err := s.Claim(ctx, "ebuy:notify:u2", time.Minute, now)
	require.NoError(t, err)
	require.NoError(t, s.Release(ctx, "ebuy:notify:u2", c2.Token))
	_, ok = readRow(t, pool, table, "ebuy:notify:u2")
	assert.False(t, ok, "released: no row")

	// Prune: done before the cut, and claims whose lease ended before it.
	_, err = s.Claim(ctx, "dead", time.Minute, now)
	require.NoError(t, err)
	_, err = s.Claim(ctx, "running", time.Hour, now)
	require.NoError(t, err)
	require.NoError(t, s.Complete(ctx, "late", "t", now.Add(time.Hour)))
	n, err := s.Prune(ctx, now.Add(30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	for key, kept := range map[string]bool{"ebuy:notify:u1": false, "dead": false, "running": true, "late": true} {
		_, ok := readRow(t, pool, table, key)
		assert.Equal(t, kept, ok, key)
	}
}

// TestClaimStoreUnavailable: every method fails with ErrUnavailable when
// the database cannot be reached, and with the caller's own error when the
// caller gave up.
func TestClaimStoreUnavailable(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	require.NoError(t, err)
	pool, err := pgxpool.New(context.Background(), "postgres://couponkit@127.0.0.1:"+strconv.Itoa(port)+"/postgres?sslmode=disable&connect_timeout=2")
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = s.Claim(ctx, "k", time.Minute, time.Now())
	assert.ErrorIs(t, err, couponkitpg.ErrUnavailable)
	assert.ErrorIs(t, s.Complete(ctx, "k", "t", time.Now()), couponkitpg.ErrUnavailable)
	assert.ErrorIs(t, s.Release(ctx, "k", "t"), couponkitpg.ErrUnavailable)
	_, err = s.Prune(ctx, time.Now())
	assert.ErrorIs(t, err, couponkitpg.ErrUnavailable)
	assert.ErrorIs(t, s.CreateTable(ctx), couponkitpg.ErrUnavailable)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Claim(cancelled, "k", time.Minute, time.Now())
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, couponkitpg.ErrUnavailable)
}

// TestCompleteTxNeedsItsClaim: CompleteTx completes only a claim of its
// own store carried by the context.
func TestCompleteTxNeedsItsClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t)
	s := newStore(t, pool)
	assert.ErrorIs(t, s.CompleteTx(ctx, pool, time.Now()), couponkitpg.ErrNoClaim)
	other := couponkit.WithHeldClaim(ctx, couponkit.HeldClaim{Store: couponkit.NewMemoryClaimStore(0), Key: "k", Token: "t"})
	assert.ErrorIs(t, s.CompleteTx(other, pool, time.Now()), couponkitpg.ErrNoClaim)
}

// redemptionHandler is an e-Buy notification handler whose function
// records the redemption and completes its claim in one transaction, as
// the package documentation shows. Before completing it says which
// handler it is on inserted and waits on gate.
func redemptionHandler(pool *pgxpool.Pool, claims *couponkitpg.ClaimStore, redemptions, name string,
	clock *couponkittest.Clock, inserted chan<- string, gate <-chan struct{}) http.Handler {
	return ebuy.NewNotifyHandler(fleettest.Secret, func(ctx context.Context, ev ebuy.Event) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, it := range ev.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO `+redemptions+` (uuid, code, handler) VALUES ($1, $2, $3)`, ev.UUID, it.Code, name); err != nil {
				return err
			}
		}
		inserted <- name
		<-gate
		if err := claims.CompleteTx(ctx, tx, clock.Now()); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}, ebuy.WithClaimStore(claims), ebuy.WithNotifyClock(clock), ebuy.WithNotifyLease(fleettest.Lease))
}

func post(t *testing.T, url string, body []byte) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// TestCompleteTxExactlyOnce: the first holder's lease ends while its
// function runs, and a second handler claims the notification and runs the
// function too: both record the redemption, but only one transaction
// commits, the one of the current holder; the late one gets ErrClaimLost,
// rolls back, and its delivery is answered 503. Without CompleteTx both
// would have committed.
func TestCompleteTxExactlyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t)
	claims := newStore(t, pool)
	redemptions := "redemptions_" + couponkit.NewClaimToken()[:12]
	_, err := pool.Exec(ctx, `CREATE TABLE `+redemptions+` (uuid text, code text, handler text)`)
	require.NoError(t, err)

	inserted := make(chan string, 2)
	gate1, gate2 := make(chan struct{}), make(chan struct{})
	clock1, clock2 := couponkittest.NewClock(fleettest.Start), couponkittest.NewClock(fleettest.Start)
	h1 := httptest.NewServer(redemptionHandler(pool, claims, redemptions, "h1", clock1, inserted, gate1))
	defer h1.Close()
	h2 := httptest.NewServer(redemptionHandler(pool, claims, redemptions, "h2", clock2, inserted, gate2))
	defer h2.Close()

	body := fleettest.Notification("20240517-" + couponkit.NewClaimToken())
	first := make(chan int, 1)
	go func() { first <- post(t, h1.URL, body) }()
	require.Equal(t, "h1", <-inserted)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, h2.URL, body), "h1 holds it")

	clock2.Advance(fleettest.Lease) // h1's lease ended, on h2's clock
	second := make(chan int, 1)
	go func() { second <- post(t, h2.URL, body) }()
	require.Equal(t, "h2", <-inserted)
	close(gate2)
	assert.Equal(t, http.StatusOK, <-second)
	close(gate1)
	assert.Equal(t, http.StatusServiceUnavailable, <-first, "ErrClaimLost: rolled back")

	var n int
	var by string
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), min(handler) FROM `+redemptions).Scan(&n, &by))
	assert.Equal(t, 1, n, "the redemption is recorded once")
	assert.Equal(t, "h2", by)
	assert.Equal(t, http.StatusOK, post(t, h1.URL, body), "done: acknowledged")
	select {
	case name := <-inserted:
		t.Fatalf("%s ran the function of a notification done", name)
	default:
	}
}

// TestCompleteTxRolledBack: a function that completes its claim in its
// transaction but does not commit (it fails, or its process dies) leaves
// neither the effect nor the claim done: the next delivery runs it again.
func TestCompleteTxRolledBack(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	claims := newStore(t, pool)
	calls := 0
	h := httptest.NewServer(ebuy.NewNotifyHandler(fleettest.Secret, func(ctx context.Context, ev ebuy.Event) error {
		calls++
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if err := claims.CompleteTx(ctx, tx, time.Now()); err != nil {
			return err
		}
		if calls == 1 {
			return errors.New("failed before the commit")
		}
		return tx.Commit(ctx)
	}, ebuy.WithClaimStore(claims)))
	defer h.Close()
	body := fleettest.Notification("20240517-" + couponkit.NewClaimToken())
	assert.Equal(t, http.StatusServiceUnavailable, post(t, h.URL, body))
	assert.Equal(t, http.StatusOK, post(t, h.URL, body))
	assert.Equal(t, http.StatusOK, post(t, h.URL, body))
	assert.Equal(t, 2, calls)
}

// TestNotifyFleet: two e-Buy notification handlers in two processes share
// one table; the same notification delivered 20 times at once runs fn once,
// and a holder killed mid-fn is replaced once its lease ends (see
// fleettest.Run).
func TestNotifyFleet(t *testing.T) {
	t.Parallel()
	table := newTable()
	s, err := couponkitpg.NewClaimStore(newPool(t), couponkitpg.Config{Table: table})
	require.NoError(t, err)
	require.NoError(t, s.CreateTable(context.Background()))
	fleettest.Run(t, "POSTGRES_DSN="+dsn, tableEnv+"="+table)
}
