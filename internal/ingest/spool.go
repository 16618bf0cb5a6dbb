package ingest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// spool keeps a file's result rows between the read that checks the file
// and the transaction that writes them, so the file is parsed once and no
// row waits in memory: each row is its four fields, each its length and
// bytes.
type spool struct {
	f *os.File
	w *bufio.Writer
}

func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "ingest-rows-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

func (s *spool) add(r Result) error {
	for _, field := range [...]string{r.CheckID, string(r.Status), r.Resource, r.Message} {
		if _, err := s.w.Write(binary.AppendUvarint(nil, uint64(len(field)))); err != nil {
			return err
		}
		if _, err := s.w.WriteString(field); err != nil {
			return err
		}
	}
	return nil
}

// each reads the rows back in the order they were added.
func (s *spool) each(fn func(fields [4]string) error) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(s.f, 256<<10)
	for {
		var row [4]string
		for i := range row {
			n, err := binary.ReadUvarint(r)
			if i == 0 && errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return err
			}
			row[i] = string(b)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func (s *spool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}
