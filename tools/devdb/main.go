// Command devdb runs a MongoDB-compatible server (FerretDB with its SQLite
// backend) for local development and tests, so that neither needs a MongoDB
// installation. Production points MONGODB_URI at a real MongoDB instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 27027, "port to listen on")
	dataDir := flag.String("data", ".data/devdb", "directory that keeps the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error (info logs every connection)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "devdb: invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Reads allocate far more than devdb keeps: its live heap is a few tens of MB, so at Go's default
	// (GOGC=100) it collected garbage every few finds, a third of the CPU of a find of 50 integrations.
	// Collecting at five times the live heap instead, up to a soft limit, costs a few tens of MB more.
	// GOGC and GOMEMLIMIT in the environment still decide when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}

	stopProfile, err := startCPUProfile(os.Getenv("DEVDB_CPU_PROFILE"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "devdb: %v\n", err)
		os.Exit(2)
	}

	err = run(logger, *host, *port, *dataDir)
	stopProfile()
	if err != nil {
		fmt.Fprintf(os.Stderr, "devdb: %v\n", err)
		os.Exit(1)
	}
}

// startCPUProfile writes a Go CPU profile of the whole run to path (`go tool pprof` reads it), finished
// when devdb stops on SIGINT or SIGTERM; off when path is empty. It is how the costs of a benchmark's
// load are found: `DEVDB_CPU_PROFILE=/tmp/devdb.pprof node scripts/bench.mjs --only initial-load`.
// A SIGUSR2 finishes the profile so far and starts the next one in `<path>.2`, `<path>.3`, …: two
// signals frame a window (a benchmark's measurement, without its warm-up), as the Node processes'
// `bench/diagnostics/cpu-profile.mjs` does. Without a path, a SIGUSR2 does nothing (Go ignores it).
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}

	// The profile being written, nil once stopped or once the next file could not be made; guarded by mu.
	var mu sync.Mutex
	var current *os.File
	begin := func(name string) error {
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("DEVDB_CPU_PROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("DEVDB_CPU_PROFILE: %w", err)
		}
		current = f
		return nil
	}
	end := func() {
		pprof.StopCPUProfile()
		current.Close()
		current = nil
	}
	if err := begin(path); err != nil {
		return nil, err
	}

	next := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(next, syscall.SIGUSR2)
	go func() {
		for n := 2; ; n++ {
			select {
			case <-done:
				return
			case <-next:
			}
			mu.Lock()
			if current == nil { // stopped meanwhile, or an earlier file failed
				mu.Unlock()
				continue
			}
			end()
			name := fmt.Sprintf("%s.%d", path, n)
			if err := begin(name); err != nil {
				fmt.Fprintf(os.Stderr, "devdb: %v (no more profiles)\n", err)
			} else {
				fmt.Fprintf(os.Stderr, "devdb: CPU profile continues in %s\n", name)
			}
			mu.Unlock()
		}
	}()

	return func() {
		signal.Stop(next)
		close(done)
		mu.Lock()
		defer mu.Unlock()
		if current != nil {
			end()
		}
	}, nil
}

func run(logger *slog.Logger, host string, port int, dataDir string) error {
	absData, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(absData, 0o700); err != nil {
		return fmt.Errorf("cannot create data directory %s: %w", absData, err)
	}

	addr := net.JoinHostPort(host, fmt.Sprint(port))
	// Fail with a clear message instead of FerretDB's generic one when the
	// port is taken (usually a devdb left running by another command).
	probe, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	probe.Close()

	// WAL without an fsync at each commit (README.md, "Commits without an fsync each"): what a
	// standalone mongod promises at its default write concern.
	sqliteURL := "file:" + absData + "/?_pragma=synchronous(normal)"
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	if err := waitForListener(ctx, addr, done); err != nil {
		return err
	}
	// The start scripts wait for this exact line.
	fmt.Printf("devdb ready on %s (data in %s)\n", db.MongoDBURI(), absData)

	err = <-done
	if ctx.Err() != nil {
		fmt.Println("devdb stopped")
		return nil
	}
	return err
}

func waitForListener(ctx context.Context, addr string, done <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return fmt.Errorf("server exited before accepting connections: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server did not accept connections on %s within 30s", addr)
}
