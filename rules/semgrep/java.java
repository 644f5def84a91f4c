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
