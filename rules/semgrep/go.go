package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
)

func generate() {
	// ruleid: go.crypto.rsa-small-key
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	multi, _ := rsa.GenerateMultiPrimeKey(rand.Reader, 3,
		// ruleid: go.crypto.rsa-small-key
		512)
	// ok: go.crypto.rsa-small-key
	good, _ := rsa.GenerateKey(rand.Reader, 2048)
	// ok: go.crypto.rsa-small-key
	big, _ := rsa.GenerateKey(rand.Reader, 10240)
	_, _, _, _ = small, multi, good, big
}

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
