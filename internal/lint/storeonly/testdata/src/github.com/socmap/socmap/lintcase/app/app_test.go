package app

// Tests may set up rows with SQL of their own.
const fixture = "INSERT INTO users (email) VALUES ('a@example.com')"
