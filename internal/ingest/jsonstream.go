package ingest

import (
	"encoding/json"
	"fmt"
	"io"
)

// stream walks a JSON document without loading it: the structure is read
// token by token and only the small parts (one finding, one control) are
// decoded into values.
type stream struct {
	dec    *json.Decoder
	format Format
}

func newStream(r io.Reader, f Format) *stream {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &stream{dec: dec, format: f}
}

func (s *stream) fail(err error) error { return jsonErr(s.format, err) }

// open reads the start of an object or array; a null stands for an empty
// one and reports false.
func (s *stream) open(want json.Delim, what string) (bool, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return false, s.fail(err)
	}
	if tok == nil {
		return false, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return false, parseErr(s.format, fmt.Sprintf("byte %d", s.dec.InputOffset()), "%s must be a JSON %s", what, delimName(want))
	}
	return true, nil
}

func delimName(d json.Delim) string {
	if d == '[' {
		return "array"
	}
	return "object"
}

// object reads an object, calling field for each key; field must consume
// the value (decode, walk or skip it).
func (s *stream) object(what string, field func(key string) error) error {
	if ok, err := s.open('{', what); !ok {
		return err
	}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return s.fail(err)
		}
		if err := field(tok.(string)); err != nil {
			return err
		}
	}
	return s.close()
}

// array reads an array, calling item for each element with its index;
// item must consume the element. A null array is an empty one.
func (s *stream) array(what string, item func(i int) error) error {
	if ok, err := s.open('[', what); !ok {
		return err
	}
	for i := 0; s.dec.More(); i++ {
		if err := item(i); err != nil {
			return err
		}
	}
	return s.close()
}

func (s *stream) close() error {
	if _, err := s.dec.Token(); err != nil {
		return s.fail(err)
	}
	return nil
}

// value decodes the next value into v.
func (s *stream) value(v any) error {
	if err := s.dec.Decode(v); err != nil {
		return s.fail(err)
	}
	return nil
}

// skip consumes the next value, whatever it is.
func (s *stream) skip() error {
	var v json.RawMessage
	return s.value(&v)
}

// end checks that nothing but white space follows the document.
func (s *stream) end() error {
	if _, err := s.dec.Token(); err != io.EOF {
		return parseErr(s.format, fmt.Sprintf("byte %d", s.dec.InputOffset()), "more data after the end of the JSON document")
	}
	return nil
}
