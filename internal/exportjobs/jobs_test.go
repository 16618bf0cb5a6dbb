package exportjobs

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
)

func waitFor(t *testing.T, j *Jobs, owner, eng int64, id, state string) Status {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := j.Get(owner, eng, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == state {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s is %s, want %s", id, st.State, state)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func notFound(t *testing.T, err error) {
	t.Helper()
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound {
		t.Errorf("want not found, got %v", err)
	}
}

// A job shows what it has written while it prepares, is ready with the
// whole file, is handed to its owner once and is then gone; nobody else,
// nor the owner through another engagement, sees it.
func TestJobLifecycle(t *testing.T) {
	dir := t.TempDir()
	j := New(dir, time.Minute)
	half, finish := make(chan struct{}), make(chan struct{})
	st, err := j.Start(context.Background(), Spec{Owner: 7, Engagement: 3, Kind: "workbook", FileName: "w.xlsx", ContentType: "x",
		Write: func(_ context.Context, w io.Writer) error {
			if _, err := w.Write([]byte("first half,")); err != nil {
				return err
			}
			close(half)
			<-finish
			_, err := w.Write([]byte("second half"))
			return err
		}})
	if err != nil || st.State != Preparing || len(st.ID) != 32 {
		t.Fatalf("started: %+v %v", st, err)
	}
	<-half
	if st, _ = j.Get(7, 3, st.ID); st.State != Preparing || st.Bytes != int64(len("first half,")) {
		t.Errorf("while preparing: %+v", st)
	}
	if _, _, err := j.Take(7, 3, st.ID); err == nil {
		t.Error("a file still being prepared was handed out")
	}
	_, err = j.Get(8, 3, st.ID)
	notFound(t, err)
	_, err = j.Get(7, 4, st.ID)
	notFound(t, err)
	_, _, err = j.Take(8, 3, st.ID)
	notFound(t, err)
	close(finish)
	ready := waitFor(t, j, 7, 3, st.ID, Ready)
	if ready.Bytes != int64(len("first half,second half")) || ready.FinishedAt == nil || ready.Expected != 0 {
		t.Errorf("ready: %+v", ready)
	}
	f, got, err := j.Take(7, 3, st.ID)
	if err != nil || got.FileName != "w.xlsx" {
		t.Fatalf("take: %+v %v", got, err)
	}
	body, err := io.ReadAll(f)
	if cerr := f.Close(); err != nil || cerr != nil || string(body) != "first half,second half" {
		t.Errorf("file: %q %v %v", body, err, cerr)
	}
	_, err = j.Get(7, 3, st.ID)
	notFound(t, err)
	// The next such file is expected to take as long as this one took.
	next, _ := j.Start(context.Background(), Spec{Owner: 7, Engagement: 3, Kind: "workbook", Write: func(context.Context, io.Writer) error { return nil }})
	if want := ready.FinishedAt.Sub(ready.StartedAt); next.Expected != want || want <= 0 {
		t.Errorf("expected %v, want %v", next.Expected, want)
	}
	waitFor(t, j, 7, 3, next.ID, Ready)
	if f, _, err := j.Take(7, 3, next.ID); err == nil {
		_ = f.Close()
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("files left after the download: %v", left)
	}
}

// A failed job says so in words and keeps no file; an unfetched one is
// removed, file and all, after its time to live.
func TestJobFailsAndExpires(t *testing.T) {
	dir := t.TempDir()
	j := New(dir, 200*time.Millisecond)
	bad, _ := j.Start(context.Background(), Spec{Owner: 1, Engagement: 1, Write: func(context.Context, io.Writer) error {
		return apperr.Conflict("engagement 1 has no controls in scope")
	}})
	if st := waitFor(t, j, 1, 1, bad.ID, Failed); st.Error != "engagement 1 has no controls in scope" {
		t.Errorf("failed: %+v", st)
	}
	internal, _ := j.Start(context.Background(), Spec{Owner: 1, Engagement: 1, Write: func(context.Context, io.Writer) error { return errors.New("disk on fire at /var/x") }})
	if st := waitFor(t, j, 1, 1, internal.ID, Failed); st.Error != "the file could not be prepared" {
		t.Errorf("internal failure shown as %q", st.Error)
	}
	good, _ := j.Start(context.Background(), Spec{Owner: 1, Engagement: 1, Write: func(_ context.Context, w io.Writer) error {
		_, err := w.Write([]byte("kept"))
		return err
	}})
	waitFor(t, j, 1, 1, good.ID, Ready)
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Errorf("files while ready: %v", left)
	}
	time.Sleep(400 * time.Millisecond)
	_, err := j.Get(1, 1, good.ID)
	notFound(t, err)
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("files left after the time to live: %v", left)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}
