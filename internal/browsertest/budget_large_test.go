//go:build browser

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/socmap/socmap/frontend"
	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/requests"
)

// largeServer is the server with the large programme loaded, shared by the
// budget tests of one test binary: loading it takes most of a minute.
type largeServer struct {
	srv     *server
	res     demo.Result
	admin   string // an administrator who owns controls, signed in by password
	request string // the ref of a request of the first engagement
	stop    func()
	err     error
}

var (
	largeOnce sync.Once
	large     largeServer
)

// largeDay is the day the programme is loaded as of, as bench/api.sh does.
var largeDay = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// onLarge starts the shared server on first use.
func onLarge(t *testing.T) *largeServer {
	t.Helper()
	largeOnce.Do(func() { large.err = startLarge() })
	if large.err != nil {
		t.Fatalf("load the large programme: %v", large.err)
	}
	return &large
}

func TestMain(m *testing.M) {
	code := m.Run()
	if large.stop != nil {
		large.stop()
	}
	os.Exit(code)
}

func startLarge() error {
	dir, err := os.MkdirTemp("", "socmap-large-")
	if err != nil {
		return err
	}
	cfg := config.Defaults()
	cfg.DataDir = dir
	cfg.Organisation = demo.Organisation
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	large.stop = func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "large programme server:", err)
		}
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	srv, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), frontend.Dist())
	if err != nil {
		done <- nil
		return err
	}
	blobs, err := blob.Open(filepath.Join(dir, "evidence"))
	if err != nil {
		done <- nil
		return err
	}
	res, err := demo.LoadLarge(ctx, srv.DB, blobs, srv.Tasks, demo.Options{Seed: demo.DefaultSeed, Today: largeDay})
	if err != nil {
		done <- nil
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		done <- nil
		return err
	}
	go func() { done <- srv.Serve(ctx, ln) }()
	large.srv = &server{base: "http://" + ln.Addr().String(), app: srv, dataDir: dir}
	large.res = res
	large.admin = "user00@large.example"
	if large.request, err = firstRequest(ctx, srv, blobs, res.Engagements[0]); err != nil {
		return err
	}
	return resetPassword(ctx, srv, large.admin)
}

// firstRequest generates the engagement's requests, as its preparer does
// from the requests page, and answers the first one's ref.
func firstRequest(ctx context.Context, srv *app.Server, blobs blob.Store, id int64) (string, error) {
	eng := engagement.NewService(srv.DB, nil)
	svc := requests.NewService(srv.DB, eng, evidence.NewService(srv.DB, blobs, evidence.DefaultMaxUpload))
	created, err := svc.Generate(ctx, auth.Trusted, id)
	if err != nil {
		return "", err
	}
	if len(created) == 0 {
		return "", errors.New("the first engagement asks for nothing")
	}
	return created[0].Ref, nil
}

// resetPassword gives the programme's first administrator, who owns
// controls and has tasks, the test's password.
func resetPassword(ctx context.Context, srv *app.Server, email string) error {
	var id int64
	if err := srv.DB.R.Table("users").Where("email = ?", email).Pluck("id", &id).Error; err != nil {
		return err
	}
	if id == 0 {
		return errors.New("no account " + email)
	}
	pw := password
	_, err := auth.NewService(srv.DB, auth.DefaultSettings(), nil).UpdateUser(ctx, auth.Trusted, id, auth.UserPatch{Password: &pw})
	return err
}
