// apicall: one Kubernetes API call with the Pod's mounted ServiceAccount token, verified against
// the mounted CA; prints the HTTP status code. In the demo-service image for RBAC checks from
// inside the cluster (busybox's own TLS cannot talk to Go's TLS server).
//
//	apicall METHOD URL [JSON-BODY]
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

const sa = "/var/run/secrets/kubernetes.io/serviceaccount/"

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: apicall METHOD URL [JSON-BODY]")
		os.Exit(2)
	}
	token, err := os.ReadFile(sa + "token")
	check(err)
	ca, err := os.ReadFile(sa + "ca.crt")
	check(err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		check(fmt.Errorf("no certificate in %sca.crt", sa))
	}
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
	}}
	body := ""
	if len(os.Args) > 3 {
		body = os.Args[3]
	}
	// Transport errors (a loaded test machine) are retried; any HTTP answer is the result.
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequest(os.Args[1], os.Args[2], strings.NewReader(body))
		check(err)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil && attempt < 3 {
			fmt.Fprintln(os.Stderr, "apicall: retrying:", err)
			time.Sleep(time.Second)
			continue
		}
		check(err)
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
		return
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "apicall:", err)
		os.Exit(1)
	}
}
