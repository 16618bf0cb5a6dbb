package exports

import (
	"bytes"
	"reflect"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

// releaseStreamBuffer frees the memory buffer of a sheet whose stream
// writer has flushed its rows to a temporary file.
//
// excelize v2.11.0 keeps each stream writer's buffer, 16 to 32 MiB once a
// sheet has outgrown memory, until the whole workbook is written, although
// a flushed sheet reads back from its temporary file. A workbook with
// several large sheets (evidence index, occurrences, requests) would hold
// one such buffer per sheet. excelize has no way to drop it, so this
// reaches into the writer: only when the sheet is on disk, and doing
// nothing if the fields are not there (TestReleaseStreamBuffer notices).
func releaseStreamBuffer(sw *excelize.StreamWriter) bool {
	raw := reflect.ValueOf(sw).Elem().FieldByName("rawData")
	if !raw.IsValid() {
		return false
	}
	tmp, buf := raw.FieldByName("tmp"), raw.FieldByName("buf")
	if !tmp.IsValid() || tmp.Kind() != reflect.Pointer || tmp.IsNil() || buf.Type() != reflect.TypeOf(bytes.Buffer{}) {
		return false
	}
	b := (*bytes.Buffer)(unsafe.Pointer(buf.UnsafeAddr()))
	if b.Len() != 0 { // Flush moves everything to the file; anything left is still needed
		return false
	}
	*b = bytes.Buffer{}
	return true
}
