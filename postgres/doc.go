// Package couponkitpg holds in PostgreSQL what a fleet of processes using
// couponkit must share: the claims that make a notification's work run once
// ([ClaimStore], a couponkit.ClaimStore).
//
// Notification handlers in several processes behind one URL share a
// ClaimStore, so that each notification's function runs once in the fleet,
// and a notification whose holder died is handled again once its lease
// ends:
//
//	pool, err := pgxpool.New(ctx, dsn)
//	claims, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{})
//	err = claims.CreateTable(ctx) // or put couponkitpg.Schema("") in your migrations
//	h := ebuy.NewNotifyHandler(secret, fn, ebuy.WithClaimStore(claims))
//
// # Schema
//
// One table, one row per key claimed, the key unique ([Schema] prints it;
// the name is [Config.Table], default "couponkit_claims"):
//
//	CREATE TABLE IF NOT EXISTS "couponkit_claims" (
//	  claim_key     text        PRIMARY KEY,  -- "ebuy:notify:" + the notification's uuid
//	  state         text        NOT NULL CHECK (state IN ('claimed', 'done')),
//	  token         text        NOT NULL,     -- the holder's, or the completer's
//	  claimed_until timestamptz,              -- end of the lease, on the claimant's clock
//	  done_at       timestamptz,              -- when it was completed
//	  CHECK ((state = 'claimed') = (claimed_until IS NOT NULL))
//	)
//
// A claim inserts the row, or takes it over when it is claimed with
// claimed_until at or before the caller's now (the holder died); a
// completion sets state to done; a release deletes the row. Rows stay until
// [ClaimStore.Prune] deletes those done (or whose lease ended) before a
// time: run it now and then, keeping done keys longer than a vendor keeps
// re-sending.
//
// # Exactly once: the claim in your own transaction
//
// A claim alone makes the function run once per notification, except when
// the holder's lease ends while it still runs (the function is slow, or the
// process froze): another delivery then claims the key and runs the
// function too. When the function's effect is a write to the same
// PostgreSQL database, complete the claim in the transaction of that write
// with [ClaimStore.CompleteTx]: the effect and the "done" row commit
// together or not at all, and a holder whose lease ended and whose key was
// claimed again gets couponkit.ErrClaimLost and rolls its effect back. The
// effect is then applied exactly once, whatever dies when:
//
//	h := ebuy.NewNotifyHandler(secret, func(ctx context.Context, ev ebuy.Event) error {
//		tx, err := pool.Begin(ctx)
//		if err != nil {
//			return err
//		}
//		defer tx.Rollback(ctx) // does nothing after Commit
//		for _, it := range ev.Items {
//			if _, err := tx.Exec(ctx, `INSERT INTO redemptions (code, verified_at) VALUES ($1, $2)`, it.Code, it.VerifyDate); err != nil {
//				return err
//			}
//		}
//		// The notification's uuid is done in the same transaction as the
//		// redemptions; ErrClaimLost: another delivery now holds it.
//		if err := claims.CompleteTx(ctx, tx, time.Now()); err != nil {
//			return err
//		}
//		return tx.Commit(ctx)
//	}, ebuy.WithClaimStore(claims))
//
// The function's context carries its claim (couponkit.HeldClaimFrom), which
// CompleteTx reads. A crash before the commit leaves neither the effect nor
// the "done" row; the key stays claimed until its lease ends, and the next
// delivery after that runs the function again. After the function returns
// nil the handler completes the claim once more, which finds it done. While
// the transaction is open it holds the claim's row: another delivery of the
// notification waits for the commit, then is acknowledged.
//
// Errors of the store match [ErrUnavailable]; a handler then answers 503,
// so that the vendor sends the notification again.
package couponkitpg
