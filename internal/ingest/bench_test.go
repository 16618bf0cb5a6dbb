package ingest_test

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// The streaming goal: a 50 MB Prowler OCSF file is ingested with less than
// 64 MiB of memory growth, and the ingest is compared with its floor,
// parsing the same file and doing nothing with the results.
//
//	go test -run '^$' -bench 'OCSF50MB' -benchtime 3x ./internal/ingest/
const (
	benchFileSize = 50 << 20
	memoryGoal    = 64 << 20
)

// ocsfFile writes a Prowler OCSF file of about 50 MiB in Prowler's own
// layout (one finding per check and resource, pretty printed with four
// spaces): 500 checks over some 35 resources each, tagged with SOC 2
// criteria, a tenth of the findings failing.
func ocsfFile(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "prowler-50mb.ocsf.json")
	if err := writeOCSF(path, benchFileSize); err != nil {
		b.Fatal(err)
	}
	return path
}

var criteria = []string{"cc_6_1", "cc_6_2", "cc_6_3", "cc_6_6", "cc_6_7", "cc_6_8", "cc_7_1", "cc_7_2", "cc_7_3", "cc_8_1", "cc_a_1_2", "cc_c_1_1"}

func writeOCSF(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	written := int64(0)
	var werr error
	put := func(s string) {
		n, err := w.WriteString(s)
		written += int64(n)
		werr = cmp.Or(werr, err)
	}
	put("[")
	base := time.Date(2026, 3, 2, 2, 14, 0, 0, time.UTC)
	for i := 0; written < size && werr == nil; i++ {
		check := i % 500
		status := "PASS"
		if i%10 == 3 {
			status = "FAIL"
		}
		resource := fmt.Sprintf("arn:aws:s3:::larkspur-bucket-%03d-%05d", check, i/500)
		finding := map[string]any{
			"message": fmt.Sprintf("Resource %s was checked by check_%03d and is %s.", resource, check, strings.ToLower(status)),
			"metadata": map[string]any{"event_code": fmt.Sprintf("service%02d_check_%03d_enabled", check%40, check),
				"product":  map[string]any{"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.12.1"},
				"profiles": []string{"cloud", "datetime"}, "tenant_uid": "o-larkspur01", "version": "1.4.0"},
			"severity_id": 3, "severity": "Medium", "status": "New", "status_code": status,
			"status_detail": fmt.Sprintf("Resource %s is %s for check %03d.", resource, strings.ToLower(status), check), "status_id": 1,
			"unmapped": map[string]any{"related_url": "https://docs.aws.amazon.com/", "categories": []string{"encryption"},
				"depends_on": []string{}, "related_to": []string{}, "additional_urls": []string{}, "notes": "",
				"compliance": map[string][]string{"SOC2": {criteria[check%len(criteria)], criteria[(check+5)%len(criteria)]},
					"CIS-3.0": {"2.1." + strconv.Itoa(check%9)}, "ISO27001-2013": {"A.10.1"}, "NIST-800-53-Revision-5": {"sc_28", "sc_13"}},
				"scan_id": "0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4", "provider_uid": "210987654321", "provider": "aws"},
			"activity_name": "Create", "activity_id": 1,
			"finding_info": map[string]any{"created_time": base.Unix(), "created_time_dt": base.Format("2006-01-02T15:04:05.000000"),
				"desc": "Check that the resource is configured as the benchmark asks.", "product_uid": "prowler",
				"title": fmt.Sprintf("Ensure check %03d is enabled", check), "types": []string{"Software and Configuration Checks"},
				"uid": fmt.Sprintf("prowler-aws-check_%03d-210987654321-eu-west-2-%d", check, i)},
			"resources": []map[string]any{{"cloud_partition": "aws", "region": "eu-west-2",
				"data":  map[string]any{"details": "", "metadata": map[string]any{"name": resource, "region": "eu-west-2"}},
				"group": map[string]any{"name": "s3"}, "labels": []string{"env:prod"}, "name": resource, "type": "AwsS3Bucket", "uid": resource}},
			"category_name": "Findings", "category_uid": 2, "class_name": "Detection Finding", "class_uid": 2004,
			"cloud": map[string]any{"account": map[string]any{"name": "larkspur-prod", "type": "AWS Account", "type_id": 10, "uid": "210987654321", "labels": []string{}},
				"org": map[string]any{"name": "larkspur", "uid": "o-larkspur01"}, "provider": "aws", "region": "eu-west-2"},
			"remediation":  map[string]any{"desc": "Enable the setting the check names.", "references": []string{"https://docs.aws.amazon.com/"}},
			"risk_details": "A resource configured otherwise exposes data or weakens its protection.",
			"time":         base.Unix(), "time_dt": base.Format("2006-01-02T15:04:05.000000"),
			"type_uid": 200401, "type_name": "Detection Finding: Create",
		}
		js, err := json.MarshalIndent(finding, "", "    ")
		if err != nil {
			return err
		}
		if i > 0 {
			put(",")
		}
		put(string(js))
	}
	put("]")
	if err := cmp.Or(werr, w.Flush()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// peakHeap samples the heap while fn runs and returns its growth over the
// heap before: the memory the run needed at its worst.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	before := read()
	peak := before
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if v := read(); v > peak {
		peak = v
	}
	return peak - before
}

// rssGrowth runs fn and returns how far the process's resident memory
// rose above where it stood before (Linux: the peak is reset first through
// /proc/self/clear_refs), or 0 where that cannot be read. Unlike the heap
// it counts SQLite's own memory too.
func rssGrowth(fn func()) uint64 {
	status := func(field string) uint64 {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, field+":"); ok {
				kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
		return 0
	}
	debug.FreeOSMemory() // what writing the file left behind is not the run's
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		fn()
		return 0
	}
	before := status("VmRSS")
	fn()
	if peak := status("VmHWM"); peak > before {
		return peak - before
	}
	return 0
}

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine a steadier measure of work than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseOCSF50MB is the floor: reading and decoding the file,
// results thrown away.
func BenchmarkParseOCSF50MB(b *testing.B) {
	path := ocsfFile(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	var worst, rss uint64
	var cpu time.Duration
	results := 0
	for b.Loop() {
		start := cpuTime()
		rss = max(rss, rssGrowth(func() {
			worst = max(worst, peakHeap(func() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				n := 0
				if _, err := ingest.Parse(f, func(ingest.Result) error { n++; return nil }); err != nil || n == 0 {
					b.Fatalf("parse: %d results, %v", n, err)
				}
				results = n
			}))
		}))
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-growth-MiB")
	b.ReportMetric(float64(results), "results")
}

// BenchmarkIngestOCSF50MB is the whole ingest into SQLite: the file read,
// hashed and checked, stored as evidence, read again and written as result
// rows, its checks mapped to 100 controls, evidence linked and tasks opened,
// all in one transaction. Each round is a new scan (its own scan id).
func BenchmarkIngestOCSF50MB(b *testing.B) {
	path := ocsfFile(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db := catalogtest.Open(b, storetest.Targets(b)[0])
	dir := b.TempDir()
	blobs, err := blob.Open(filepath.Join(dir, "evidence"))
	if err != nil {
		b.Fatal(err)
	}
	ctl := controls.NewService(db)
	var maps []controls.MappingChange
	for i := range 100 {
		ref, title, freq, nature, typ := fmt.Sprintf("AUT-%03d", i), "Automated control", "daily", "automated", "preventive"
		c, err := ctl.Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &freq, Nature: &nature, Type: &typ})
		if err != nil {
			b.Fatal(err)
		}
		ref2, _ := ingest.CriterionRef(criteria[i%len(criteria)])
		maps = append(maps, controls.MappingChange{ControlID: c.ID, Requirement: "soc2-tsc-2017/" + ref2})
	}
	if err := ctl.ApplyMappings(ctx, maps, nil); err != nil {
		b.Fatal(err)
	}
	svc := ingest.NewService(db, blobs, dir, 100<<20, time.UTC)
	b.SetBytes(st.Size())
	var worst, rss uint64
	var cpu time.Duration
	round := 0
	for b.Loop() {
		round++
		start := cpuTime()
		rss = max(rss, rssGrowth(func() {
			worst = max(worst, peakHeap(func() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				out, err := svc.Ingest(ctx, ingest.Input{Body: f, Source: "aws-prod", ScanID: fmt.Sprintf("bench-%d", round)})
				if err != nil || !out.Created || out.Run.Passed == 0 || len(out.Failed) == 0 {
					b.Fatalf("ingest: %+v, %v", out.Run, err)
				}
			}))
		}))
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-growth-MiB")
	if worst > memoryGoal {
		b.Errorf("the ingest grew the heap by %.1f MiB, over the %d MiB goal", float64(worst)/(1<<20), memoryGoal>>20)
	}
}
