package auditlog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/store"
)

// Result is what VerifyInstallation checked.
type Result struct {
	Entries     int64
	Checkpoints int         // signed checkpoints the trail was held to
	Newest      *Checkpoint // the newest of them
}

// VerifyInstallation checks the trail of an installation against every
// checkpoint in its data directory and, when anchor is not "", the
// checkpoints in that file (one kept elsewhere). Each must carry a valid
// signature of the data directory's key. Without a key nor checkpoints
// (an installation whose server never started) only the chain is checked.
func VerifyInstallation(ctx context.Context, db *store.DB, dataDir, anchor string) (Result, error) {
	cps, err := ReadCheckpoints(filepath.Join(dataDir, CheckpointFile))
	if err != nil {
		return Result{}, err
	}
	if anchor != "" {
		if _, err := os.Stat(anchor); err != nil {
			return Result{}, fmt.Errorf("--anchor: %w", err)
		}
		more, err := ReadCheckpoints(anchor)
		if err != nil {
			return Result{}, err
		}
		if len(more) == 0 {
			return Result{}, fmt.Errorf("--anchor %s holds no checkpoint", anchor)
		}
		cps = append(cps, more...)
	}
	key, err := signing.Load(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && len(cps) == 0:
		n, err := Verify(ctx, db)
		return Result{Entries: n}, err
	case errors.Is(err, fs.ErrNotExist):
		return Result{}, fmt.Errorf("the signing key %s is missing, so the checkpoints cannot be checked",
			filepath.Join(dataDir, signing.FileName))
	case err != nil:
		return Result{}, err
	}
	res := Result{Checkpoints: len(cps)}
	for i, c := range cps {
		if err := c.Check(key.Public()); err != nil {
			return res, fmt.Errorf("checkpoint #%d of %s: %w", c.Seq, c.At.Format("2006-01-02 15:04:05Z07:00"), err)
		}
		if res.Newest == nil || c.Seq > res.Newest.Seq {
			res.Newest = &cps[i]
		}
	}
	res.Entries, err = VerifyAgainst(ctx, db, cps)
	return res, err
}
