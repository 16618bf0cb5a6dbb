package exports

import (
	"strings"
)

// Row heights. The stream writer cannot measure text, and neither Excel
// nor LibreOffice re-measures a row when it opens a file, so a wrapped
// cell shows in full only if its row is written tall enough. The height is
// estimated from the text and the column width with Calibri's character
// widths (LibreOffice uses Carlito, which has the same metrics).
const (
	lineHeight   = 15.0  // points per line of Calibri 11
	maxRowHeight = 409.0 // Excel's largest row
	// fillFactor leaves room for the cell's padding and for the small
	// differences in how each program breaks lines.
	fillFactor = 0.97
)

// rowHeight is the height of a row whose cells show texts (empty for
// cells that are not wrapped text) in columns of the given widths.
func rowHeight(texts []string, widths []float64) float64 {
	lines := 1
	for i, t := range texts {
		if t != "" && i < len(widths) {
			lines = max(lines, wrappedLines(t, widths[i]))
		}
	}
	return min(float64(lines)*lineHeight, maxRowHeight)
}

// wrappedLines counts the lines text takes in a column width characters
// of "0" wide, breaking at spaces as spreadsheets do, and inside a word
// only when the word alone is wider than the column.
func wrappedLines(text string, width float64) int {
	capacity := max(width*fillFactor, 1)
	n := 0
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		lines, used := 1, 0.0
		for _, word := range strings.Fields(para) {
			w := textWidth(word)
			switch {
			case used == 0 && w > capacity:
				extra := int(w / capacity)
				lines += extra
				used = w - float64(extra)*capacity
			case used == 0:
				used = w
			case used+charWidth(' ')+w <= capacity:
				used += charWidth(' ') + w
			default:
				lines++
				used = 0
				if w > capacity {
					extra := int(w / capacity)
					lines += extra
					used = w - float64(extra)*capacity
				} else {
					used = w
				}
			}
		}
		n += lines
	}
	return max(n, 1)
}

func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += charWidth(r)
	}
	return w
}

// charWidth is a character's advance in Calibri 11, in widths of "0".
func charWidth(r rune) float64 {
	if r < 128 {
		if w := asciiWidths[r]; w > 0 {
			return w
		}
		return 1.0
	}
	if r < 0x2E80 {
		return 1.05
	}
	return 2.0 // CJK and other wide scripts
}

// asciiWidths are Calibri's advances of the letters and common marks,
// rounded up, relative to its digits; anything else counts as a digit.
var asciiWidths = func() [128]float64 {
	var w [128]float64
	set := func(chars string, width float64) {
		for _, c := range chars {
			w[c] = width
		}
	}
	set("abdeghnopqu", 1.05)
	set("cksvxyz", 0.9)
	set("ijl.,:;'!| ", 0.5)
	set("frt()[]-\"", 0.7)
	set("/", 0.8)
	set("mw", 1.6)
	set("ABCEFKPRSTXYZ", 1.1)
	set("DGHNOQUV", 1.3)
	set("IJ", 0.65)
	set("L", 0.85)
	set("MW@%&", 1.8)
	return w
}()
