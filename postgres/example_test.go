package couponkitpg_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	couponkitpg "github.com/couponkit/couponkit/postgres"
)

// An e-Buy redemption is recorded, and its notification marked done, in one
// transaction: exactly once, whichever process of the fleet receives it and
// whatever dies when. It runs against the database at POSTGRES_DSN.
func ExampleClaimStore_CompleteTx() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("POSTGRES_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	table := "example_" + couponkit.NewClaimToken()[:8] // your own names in a real program
	claims, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: table + "_claims"})
	if err != nil {
		log.Fatal(err)
	}
	if err := claims.CreateTable(ctx); err != nil {
		log.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE `+table+` (code text, verified_at timestamptz)`); err != nil {
		log.Fatal(err)
	}

	fake := ebuytest.NewServer(ebuytest.Config{}) // e-Buy
	defer fake.Close()
	h := ebuy.NewNotifyHandler(fake.Secret(), func(ctx context.Context, ev ebuy.Event) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) // does nothing after Commit
		for _, it := range ev.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO `+table+` (code, verified_at) VALUES ($1, $2)`, it.Code, it.VerifyDate); err != nil {
				return err
			}
		}
		if err := claims.CompleteTx(ctx, tx, time.Now()); err != nil {
			return err // couponkit.ErrClaimLost: another delivery holds the notification now
		}
		return tx.Commit(ctx)
	}, ebuy.WithClaimStore(claims))
	srv := httptest.NewServer(h) // your HTTPS endpoint, in every process of the fleet
	defer srv.Close()

	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	if _, err := fake.Redeem("1490", "北京银泰店", codes...); err != nil {
		log.Fatal(err)
	}
	if err := fake.SendVerifyNotify(ctx, srv.URL, codes...); err != nil {
		log.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println("redemptions recorded:", n)
	// Output:
	// redemptions recorded: 1
}
