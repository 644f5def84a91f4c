package keys

import (
	"crypto/tls"
	"net/http"
	// ruleid: go.debug.pprof-exposed
	_ "net/http/pprof"
	// ok: go.debug.pprof-exposed
	"runtime/pprof"
	"syscall"

	"github.com/gorilla/websocket"
	"github.com/rs/cors"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/ssh"
)

// ruleid: go.debug.pprof-exposed
import httppprof "net/http/pprof"

// ok: go.debug.pprof-exposed
const profilePath = "net/http/pprof"

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

// ruleid: go.websocket.check-origin-any
var upgrader = websocket.Upgrader{ReadBufferSize: 1024, CheckOrigin: func(r *http.Request) bool { return true }}

// ok: go.websocket.check-origin-any
var strict = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return r.Header.Get("Origin") == "https://app.example.com" }}

func wsSetup(u *websocket.Upgrader) {
	// ruleid: go.websocket.check-origin-any
	u.CheckOrigin = func(r *http.Request) bool {
		return true
	}
	// ok: go.websocket.check-origin-any
	u.CheckOrigin = nil
}

func sshConfig(user string, auth []ssh.AuthMethod, cb ssh.HostKeyCallback) []*ssh.ClientConfig {
	return []*ssh.ClientConfig{
		// ruleid: go.ssh.insecure-ignore-host-key
		{User: user, Auth: auth, HostKeyCallback: ssh.InsecureIgnoreHostKey()},
		// ruleid: go.ssh.insecure-ignore-host-key
		&ssh.ClientConfig{User: user, HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error { return nil }},
		// ok: go.ssh.insecure-ignore-host-key
		{User: user, Auth: auth, HostKeyCallback: ssh.FixedHostKey(pinned)},
		// ok: go.ssh.insecure-ignore-host-key
		{User: user, Auth: auth, HostKeyCallback: cb},
	}
}

func hashPassword(pw []byte) {
	// ruleid: go.crypto.bcrypt-low-cost
	h1, _ := bcrypt.GenerateFromPassword(pw, bcrypt.MinCost)
	// ruleid: go.crypto.bcrypt-low-cost
	h2, _ := bcrypt.GenerateFromPassword(pw, 6)
	// ok: go.crypto.bcrypt-low-cost
	h3, _ := bcrypt.GenerateFromPassword(pw, bcrypt.DefaultCost)
	// ok: go.crypto.bcrypt-low-cost
	h4, _ := bcrypt.GenerateFromPassword(pw, 12)
	_, _, _, _ = h1, h2, h3, h4
}

func masks() {
	// ruleid: go.os.permissive-umask
	syscall.Umask(0)
	// ruleid: go.os.permissive-umask
	old := unix.Umask(0o000)
	// ok: go.os.permissive-umask
	syscall.Umask(022)
	// ok: go.os.permissive-umask
	unix.Umask(0o077)
	// ok: go.os.permissive-umask
	log.Printf("restoring syscall.Umask(0) is unsafe")
	_ = old
}

func cookies(w http.ResponseWriter, token string) {
	// ruleid: go.cookie.insecure-flags
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Secure: false})
	// ruleid: go.cookie.insecure-flags
	c := http.Cookie{Name: "auth", Value: token, HttpOnly: false, Path: "/"}
	// ok: go.cookie.insecure-flags
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Secure: true, HttpOnly: true})
	// ok: go.cookie.insecure-flags
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: "en"})
	_ = c
}

func corsSetup() {
	// ruleid: go.cors.any-origin-credentials
	c1 := cors.New(cors.Options{AllowedOrigins: []string{"*"}, AllowCredentials: true})
	// ruleid: go.cors.any-origin-credentials
	c2 := cors.New(cors.Options{AllowOriginFunc: func(origin string) bool { return true }, AllowCredentials: true})
	// ok: go.cors.any-origin-credentials
	c3 := cors.New(cors.Options{AllowedOrigins: []string{"*"}})
	// ok: go.cors.any-origin-credentials
	c4 := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowCredentials: true})
	_, _, _, _ = c1, c2, c3, c4
}

func serve(mux *http.ServeMux) {
	// ruleid: go.http.file-server-working-dir
	mux.Handle("/", http.FileServer(http.Dir(".")))
	// ruleid: go.http.file-server-working-dir
	http.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir("/"))))
	// ok: go.http.file-server-working-dir
	mux.Handle("/static/", http.FileServer(http.Dir("./public")))
	// ok: go.http.file-server-working-dir
	mux.Handle("/assets/", http.FileServer(http.FS(assets)))
	// ok: go.http.file-server-working-dir
	_ = "http.FileServer(http.Dir(\".\"))" // quoted in a string, not called
}

const legacyBits = 1024

func keys() {
	// ruleid: go.crypto.rsa-small-key
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	// ruleid: go.crypto.rsa-small-key
	legacy, _ := rsa.GenerateKey(rand.Reader, legacyBits)
	// ok: go.crypto.rsa-small-key
	strong, _ := rsa.GenerateKey(rand.Reader, 4096)
	// ok: go.crypto.rsa-small-key
	sized, _ := rsa.GenerateKey(rand.Reader, bits)
	_, _, _, _ = weak, legacy, strong, sized
}
