package gorm

type DB struct{}
