package app

import (
	"gorm.io/gorm"        // want `gorm.io/gorm is imported outside internal/store`
	"gorm.io/gorm/clause" // want `gorm.io/gorm/clause is imported outside internal/store`
)

var (
	_ *gorm.DB
	_ clause.Expr
)

const (
	q1 = "SELECT id FROM controls"                        // want `SQL outside internal/store`
	q2 = "  INSERT INTO users (email) VALUES (?)"         // want `SQL outside internal/store`
	q3 = `UPDATE tasks SET state = 'done'`                // want `SQL outside internal/store`
	q4 = "DELETE FROM sessions WHERE id = ?"              // want `SQL outside internal/store`
	q5 = "WITH live AS (SELECT 1) SELECT * FROM live"     // want `SQL outside internal/store`
	q6 = "c.id IN (SELECT control_id FROM control_links)" // want `SQL outside internal/store`
	q7 = "WITH RECURSIVE t AS (SELECT 1) SELECT 1"        // want `SQL outside internal/store`
)

// Prose and identifiers that only look like SQL are left alone.
const (
	p1 = "select a file to upload"
	p2 = "Copied from the previous period"
	p3 = "UPDATE"
	p4 = "Selected FROM: the auditor"
	p5 = "delete from the list"
	p6 = "With the auditor's request"
	p7 = "SELECTED"
)
