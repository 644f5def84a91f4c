import javax.servlet.http.Cookie;
import org.springframework.http.ResponseCookie;

class CookieFactory {
    Cookie session(String value) {
        Cookie cookie = new Cookie("SESSION", value);
        // ruleid: java.cookie.insecure-flags
        cookie.setSecure(false);
        // ruleid: java.cookie.insecure-flags
        cookie.setHttpOnly(false);
        // ok: java.cookie.insecure-flags
        cookie.setSecure(true);
        // ok: java.cookie.insecure-flags
        cookie.setMaxAge(3600);
        return cookie;
    }

    ResponseCookie reactive(String value) {
        // ruleid: java.cookie.insecure-flags
        return ResponseCookie.from("SESSION", value).path("/").secure(false)
            .build();
    }

    Object other(Builder builder) {
        // ok: java.cookie.insecure-flags
        return builder.secure(false).build();
    }
}

class WebConfig implements WebMvcConfigurer {
    public void addCorsMappings(CorsRegistry registry) {
        // ruleid: java.spring.cors-any-origin-credentials
        registry.addMapping("/api/**").allowedOriginPatterns("*").allowedMethods("*").allowCredentials(true);
        // ruleid: java.spring.cors-any-origin-credentials
        registry.addMapping("/**").allowCredentials(true).allowedOrigins("*");
        // ok: java.spring.cors-any-origin-credentials
        registry.addMapping("/public/**").allowedOrigins("*");
        // ok: java.spring.cors-any-origin-credentials
        registry.addMapping("/api/**").allowedOrigins("https://app.example.com").allowCredentials(true);
    }

    // An annotation on its own does not parse as an ast-grep pattern, so this is a known miss.
    // todoruleid: java.spring.cors-any-origin-credentials
    @CrossOrigin(originPatterns = "*", allowCredentials = "true")
    @GetMapping("/me")
    String me() { return "me"; }

    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        // ruleid: java.spring.permit-all-any-request
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/admin/**").hasRole("ADMIN").anyRequest().permitAll());
        // ruleid: java.spring.permit-all-any-request
        http.authorizeRequests().antMatchers("/**").permitAll();
        // ok: java.spring.permit-all-any-request
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/health").permitAll().anyRequest().authenticated());
        // ok: java.spring.permit-all-any-request
        http.authorizeRequests().antMatchers("/public/**").permitAll().anyRequest().denyAll();
        // ruleid: java.spring.frame-options-disabled
        http.headers().frameOptions().disable();
        // ruleid: java.spring.frame-options-disabled
        http.headers(headers -> headers.frameOptions(frame -> frame.disable()));
        // ok: java.spring.frame-options-disabled
        http.headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
        // ok: java.spring.frame-options-disabled
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/webhook"));
        return http.build();
    }

    Object resolve(String name) throws Exception {
        // ruleid: java.jndi.dynamic-lookup
        Object ds = new InitialContext().lookup(name);
        // ruleid: java.jndi.dynamic-lookup
        Object other = InitialContext.doLookup("java:comp/env/" + name);
        // ok: java.jndi.dynamic-lookup
        Object fixed = new InitialContext().lookup("java:comp/env/jdbc/main");
        // ok: java.jndi.dynamic-lookup
        Object cached = cache.lookup(name);
        return ds;
    }

    void web(WebView view) {
        WebSettings settings = view.getSettings();
        // ruleid: java.android.webview-file-url-access
        settings.setAllowUniversalAccessFromFileURLs(true);
        // ruleid: java.android.webview-file-url-access
        view.getSettings().setAllowFileAccessFromFileURLs(true);
        // ok: java.android.webview-file-url-access
        settings.setAllowUniversalAccessFromFileURLs(false);
        // ok: java.android.webview-file-url-access
        settings.setJavaScriptEnabled(true);
    }
}

class RsaKeys {
    static final int LEGACY_BITS = 512;

    java.security.spec.AlgorithmParameterSpec specs() {
        // ruleid: java.crypto.rsa-small-key
        Object weak = new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4);
        // ok: java.crypto.rsa-small-key
        Object strong = new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4);
        // ok: java.crypto.rsa-small-key
        Object chosen = new RSAKeyGenParameterSpec(config.bits(), RSAKeyGenParameterSpec.F4);
        // ruleid: java.crypto.rsa-small-key
        return new RSAKeyGenParameterSpec(LEGACY_BITS, RSAKeyGenParameterSpec.F4);
    }
}
