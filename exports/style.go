package exports

import "github.com/xuri/excelize/v2"

// styles are the cell formats of every workbook. Every cell has a thin
// border, so the grid prints in any program, and Calibri 11, the font the
// row heights are estimated for.
type styles struct{ header, group, text, date, integer, decimal, percent, link int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	grid := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	font := func(bold bool, color, underline string) *excelize.Font {
		return &excelize.Font{Family: "Calibri", Size: 11, Bold: bold, Color: color, Underline: underline}
	}
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		if st.Font == nil {
			st.Font = font(false, "", "")
		}
		st.Border = grid
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	number := func(format int) *excelize.Style {
		return &excelize.Style{NumFmt: format, Alignment: &excelize.Alignment{Vertical: "top"}}
	}
	s.header = mk(&excelize.Style{Font: font(true, "FFFFFF", ""),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1D3D5C"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.group = mk(&excelize.Style{Font: font(true, "", ""),
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F0"}}, Alignment: top})
	s.text = mk(&excelize.Style{Alignment: top})
	s.date = mk(&excelize.Style{NumFmt: 14, CustomNumFmt: strPtr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Vertical: "top"}})
	s.integer = mk(number(1)) // 0
	s.decimal = mk(number(2)) // 0.00
	s.percent = mk(number(9)) // 0%
	s.link = mk(&excelize.Style{Font: font(false, "1F4E9E", "single"), Alignment: top})
	return s, err
}

func strPtr(s string) *string { return &s }
