// Command floor is the physical floor of socmap's API reads: a bare gin
// handler that answers with fixed bytes (a captured socmap response), no
// session, no database, no JSON encoding. bench/api.sh loads both with wrk.
//
//	go run ./bench/floor -addr 127.0.0.1:9999 -body response.json
package main

import (
	"flag"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9999", "listen address")
	body := flag.String("body", "", "file whose bytes every request gets")
	flag.Parse()
	data, err := os.ReadFile(*body)
	if err != nil {
		log.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/*any", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", data) })
	log.Fatal(r.Run(*addr))
}
