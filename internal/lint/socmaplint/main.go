// Command socmaplint runs socmap's own analyzers under go vet:
//
//	go build -o bin/socmaplint ./internal/lint/socmaplint
//	go vet -vettool=bin/socmaplint ./...
//
// make lint does exactly this (test files included, as go vet does).
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/socmap/socmap/internal/lint/droppederr"
	"github.com/socmap/socmap/internal/lint/storeonly"
)

func main() { unitchecker.Main(droppederr.Analyzer, storeonly.Analyzer) }
