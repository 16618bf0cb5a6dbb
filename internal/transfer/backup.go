package transfer

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// A backup is a tar archive: the database snapshot (socmap.db), every
// evidence file it refers to (evidence/ab/<sha256>) and manifest.sha256,
// which `sha256sum -c` checks after unpacking.
const (
	backupDB       = "socmap.db"
	backupManifest = "manifest.sha256"
)

// BackupReport says what a backup holds.
type BackupReport struct {
	DatabaseBytes int64
	EvidenceFiles int
}

// Backup writes a consistent copy of a SQLite installation to w while the
// server keeps serving: VACUUM INTO takes a snapshot of the database in
// one read transaction (writers carry on under WAL), and because evidence
// files are stored before the rows that name them and never change, every
// file the snapshot names is there to copy, from whichever evidence store.
func Backup(ctx context.Context, dbPath string, blobs blob.Store, w io.Writer) (BackupReport, error) {
	var rep BackupReport
	tmp, err := os.MkdirTemp(filepath.Dir(dbPath), ".backup-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	snapshot := filepath.Join(tmp, backupDB)
	if err := store.SnapshotSQLite(ctx, dbPath, snapshot); err != nil {
		return rep, err
	}
	hashes, err := evidenceHashes(ctx, snapshot)
	if err != nil {
		return rep, err
	}
	tw := tar.NewWriter(w)
	var manifest strings.Builder
	db, err := os.Open(snapshot)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	st, err := db.Stat()
	if err != nil {
		return rep, err
	}
	sum, err := addFile(tw, backupDB, db, st.Size())
	if err != nil {
		return rep, err
	}
	fmt.Fprintf(&manifest, "%s  %s\n", sum, backupDB)
	rep.DatabaseBytes = st.Size()
	for _, h := range hashes {
		name := "evidence/" + h[:2] + "/" + h
		sum, err := addBlob(ctx, tw, name, blobs, h)
		if err != nil {
			return rep, fmt.Errorf("evidence file %s: %w", h, err)
		}
		if sum != h {
			return rep, fmt.Errorf("evidence file %s has been altered: its bytes no longer match its hash", h)
		}
		fmt.Fprintf(&manifest, "%s  %s\n", sum, name)
		rep.EvidenceFiles++
	}
	hdr := &tar.Header{Name: backupManifest, Mode: 0o644, Size: int64(manifest.Len()), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return rep, err
	}
	if _, err := io.WriteString(tw, manifest.String()); err != nil {
		return rep, err
	}
	return rep, tw.Close()
}

// evidenceHashes lists the evidence files the snapshot records, each a
// SHA-256 name (anything else would be a path into the archive).
func evidenceHashes(ctx context.Context, dbPath string) ([]string, error) {
	hashes, err := store.SQLiteEvidenceHashes(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	for _, h := range hashes {
		if !sha256Name.MatchString(h) {
			return nil, fmt.Errorf("evidence_files names %q, which is not a SHA-256", h)
		}
	}
	return hashes, nil
}

var sha256Name = regexp.MustCompile(`^[0-9a-f]{64}$`)

func addBlob(ctx context.Context, tw *tar.Writer, name string, blobs blob.Store, sha string) (string, error) {
	f, err := blobs.Open(ctx, sha)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return addFile(tw, name, f, f.Size())
}

// addFile copies size bytes into the archive, hashing them on the way.
func addFile(tw *tar.Writer, name string, r io.Reader, size int64) (string, error) {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: size, ModTime: time.Now()}); err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), r)
	if err == nil && n != size {
		err = fmt.Errorf("%s changed while it was copied", name)
	}
	return hex.EncodeToString(h.Sum(nil)), err
}

// Restore unpacks a backup into a data directory that has no database yet
// and its evidence files into blobs. Every file is checked against the
// manifest before anything is put in place; the database is checked with
// PRAGMA integrity_check and migrated by opening it.
func Restore(ctx context.Context, r io.Reader, dataDir string, blobs blob.Store) (BackupReport, error) {
	var rep BackupReport
	target := filepath.Join(dataDir, backupDB)
	if _, err := os.Stat(target); err == nil {
		return rep, fmt.Errorf("%s already exists: restore into a new data directory", target)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return rep, err
	}
	staging, err := os.MkdirTemp(dataDir, ".restore-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(staging)
	sums, manifest, err := unpack(r, staging)
	if err != nil {
		return rep, err
	}
	if len(manifest) == 0 {
		return rep, errors.New("the archive has no manifest.sha256: it is not a socmap backup")
	}
	for name, want := range manifest {
		if sums[name] != want {
			return rep, fmt.Errorf("%s does not match the manifest: the backup is damaged", name)
		}
		if strings.HasPrefix(name, "evidence/") {
			rep.EvidenceFiles++
		}
	}
	if len(sums) != len(manifest) {
		return rep, errors.New("the archive holds files the manifest does not list")
	}
	if err := store.CheckSQLiteIntegrity(ctx, filepath.Join(staging, backupDB)); err != nil {
		return rep, err
	}
	if err := storeEvidence(ctx, filepath.Join(staging, "evidence"), blobs); err != nil {
		return rep, err
	}
	if err := os.Rename(filepath.Join(staging, backupDB), target); err != nil {
		return rep, err
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		return rep, fmt.Errorf("the restored database does not open: %w", err)
	}
	st, _ := os.Stat(target)
	rep.DatabaseBytes = st.Size()
	return rep, db.Close()
}

// unpack writes the archive's files under dir, refusing any path that is
// not one a backup contains, and returns their hashes and the manifest.
func unpack(r io.Reader, dir string) (map[string]string, map[string]string, error) {
	sums, manifest := map[string]string{}, map[string]string{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return sums, manifest, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("not a readable backup archive: %w", err)
		}
		switch {
		case hdr.Name == backupManifest:
			if manifest, err = readManifest(tr); err != nil {
				return nil, nil, err
			}
			continue
		case hdr.Name != backupDB && !validEvidencePath(hdr.Name):
			return nil, nil, fmt.Errorf("unexpected file %q in the backup", hdr.Name)
		case hdr.Typeflag != tar.TypeReg:
			return nil, nil, fmt.Errorf("%q is not a regular file", hdr.Name)
		}
		path := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, nil, err
		}
		if sums[hdr.Name], err = writeFile(path, tr); err != nil {
			return nil, nil, err
		}
	}
}

var evidencePath = regexp.MustCompile(`^evidence/([0-9a-f]{2})/([0-9a-f]{64})$`)

func validEvidencePath(name string) bool {
	m := evidencePath.FindStringSubmatch(name)
	return m != nil && strings.HasPrefix(m[2], m[1])
}

func readManifest(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || !sha256Name.MatchString(sum) {
			return nil, fmt.Errorf("manifest line %q is not \"<sha256>  <name>\"", sc.Text())
		}
		out[name] = sum
	}
	return out, sc.Err()
}

func writeFile(path string, r io.Reader) (string, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), f.Close()
}

// storeEvidence puts the checked files into the evidence store; a file
// already there has the same bytes (its name is its hash) and is kept.
func storeEvidence(ctx context.Context, from string, blobs blob.Store) error {
	staged, err := blob.Open(from)
	if err != nil {
		return err
	}
	paths, err := filepath.Glob(filepath.Join(from, "[0-9a-f][0-9a-f]", "*"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		if _, err := blob.Copy(ctx, staged, blobs, filepath.Base(p)); err != nil {
			return fmt.Errorf("store evidence file %s in %s: %w", filepath.Base(p), blobs, err)
		}
	}
	return nil
}
