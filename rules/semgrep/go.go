package keys

import (
	"crypto/tls"
)

func configs() []*tls.Config {
	// ruleid: go.tls.old-protocol-version
	legacy := &tls.Config{MinVersion: tls.VersionTLS10}
	server := &tls.Config{
		Certificates: certs,
		// ruleid: go.tls.old-protocol-version
		MinVersion: tls.VersionTLS11,
	}
	client := tls.Config{}
	// ruleid: go.tls.old-protocol-version
	client.MinVersion = tls.VersionSSL30
	// ok: go.tls.old-protocol-version
	modern := &tls.Config{MinVersion: tls.VersionTLS12}
	// ok: go.tls.old-protocol-version
	client.MaxVersion = tls.VersionTLS10
	return []*tls.Config{legacy, server, &client, modern}
}
