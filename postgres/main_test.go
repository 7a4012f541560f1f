package couponkitpg_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fleettest"
	couponkitpg "github.com/couponkit/couponkit/postgres"
)

// dsn is the database the tests share: POSTGRES_DSN when set (.ci/run sets
// it), else a server that TestMain starts.
var dsn string

const installHint = "the couponkitpg tests need PostgreSQL: set POSTGRES_DSN to the URL of a scratch database, " +
	"or install PostgreSQL's server (Debian/Ubuntu: apt-get install -y postgresql; macOS: brew install postgresql) " +
	"so that the tests can start their own (run as root, they run it as the user postgres)"

// tableEnv names the table of a child process of TestNotifyFleet.
const tableEnv = "COUPONKITPG_TEST_TABLE"

func TestMain(m *testing.M) {
	fleettest.MaybeRunChild(openFleetStore)
	if dsn = os.Getenv("POSTGRES_DSN"); dsn != "" {
		os.Exit(m.Run())
	}
	srv, err := startServer()
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n%s\n", err, installHint)
		os.Exit(1)
	}
	dsn = srv.dsn
	// The examples read it as a program would.
	if err := os.Setenv("POSTGRES_DSN", dsn); err != nil {
		fmt.Fprintln(os.Stderr, err)
		srv.stop()
		os.Exit(1)
	}
	code := m.Run()
	srv.stop()
	os.Exit(code)
}

// server is a PostgreSQL server this process started, in a throwaway
// directory.
type server struct {
	dir    string
	dsn    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// binDir returns the directory of PostgreSQL's server programs: that of
// initdb on the PATH, else the newest /usr/lib/postgresql/<version>/bin.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no initdb on the PATH nor in /usr/lib/postgresql/*/bin")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// startServer initialises a cluster in a temporary directory and starts
// PostgreSQL on a free loopback port; it returns once the server is ready.
// Run as root, it runs both as the user postgres, since PostgreSQL refuses
// to run as root.
func startServer() (*server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "couponkitpg-test")
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, and no user postgres to run PostgreSQL as (useradd --system postgres): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "couponkit", "-A", "trust", "-E", "UTF8", "-N")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for range 5 { // a port found free may be taken before the server binds it
		s, err := startPostgres(bin, dir, cred)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, errNotStarted) {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	os.RemoveAll(dir)
	return nil, errors.New("postgres did not start on any of 5 ports")
}

var errNotStarted = errors.New("postgres exited at start")

// startPostgres starts the server of dir/data on a free port and returns
// once it logs that it is ready.
func startPostgres(bin, dir string, cred *syscall.Credential) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(dir, "data"), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+dir,
		"-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	logs, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	s := &server{dir: dir, cmd: cmd, exited: make(chan struct{}),
		dsn: "postgres://couponkit@127.0.0.1:" + strconv.Itoa(port) + "/postgres?sslmode=disable"}
	ready := make(chan struct{})
	var log strings.Builder
	go func() {
		in := bufio.NewScanner(logs)
		for in.Scan() {
			if log.Len() < 1<<16 {
				log.WriteString(in.Text() + "\n")
			}
			if strings.Contains(in.Text(), "database system is ready to accept connections") {
				close(ready)
				break
			}
		}
		_, _ = io.Copy(io.Discard, logs)
		_ = cmd.Wait()
		close(s.exited)
	}()
	select {
	case <-ready:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("%w on port %d:\n%s", errNotStarted, port, log.String())
	case <-time.After(time.Minute):
		s.stop()
		return nil, fmt.Errorf("postgres on port %d not ready in a minute:\n%s", port, log.String())
	}
}

// stop shuts the server down at once (SIGQUIT), waits for it, and deletes
// its directory.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.exited:
	case <-time.After(time.Minute):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(s.dir)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// newPool returns a pool on the test database, closed at the test's end.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// newTable returns a fresh table name, so that tests on a shared scratch
// database find no rows of earlier runs.
func newTable() string { return "claims_" + couponkit.NewClaimToken()[:16] }

// newStore returns a store on a fresh table of the test database.
func newStore(t *testing.T, pool *pgxpool.Pool) *couponkitpg.ClaimStore {
	t.Helper()
	s, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: newTable()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// openFleetStore is the store of a child process of TestNotifyFleet: the
// table the parent created in the database at POSTGRES_DSN.
func openFleetStore() (couponkit.ClaimStore, func(), error) {
	pool, err := pgxpool.New(context.Background(), os.Getenv("POSTGRES_DSN"))
	if err != nil {
		return nil, nil, err
	}
	s, err := couponkitpg.NewClaimStore(pool, couponkitpg.Config{Table: os.Getenv(tableEnv)})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return s, pool.Close, nil
}
