package evidence

import (
	"context"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// StoreFile streams an upload that is not itself evidence (an attachment
// to a request's comment) into the evidence store, with the same limits,
// name cleaning and type detection as evidence files. The caller records
// the row that names it.
func (s *Service) StoreFile(ctx context.Context, up Upload) (store.EvidenceFile, error) {
	return s.store(ctx, up)
}

// OpenFile opens a stored file by its SHA-256.
func (s *Service) OpenFile(ctx context.Context, sha256 string) (blob.Object, error) {
	return s.blobs.Open(ctx, sha256)
}
