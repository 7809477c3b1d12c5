package dev.ember.gpu;

import java.nio.charset.StandardCharsets;

/** Text a driver wrote into a byte array as a C string. */
public final class CStrings {
    private CStrings() {
    }

    /** The bytes up to the first NUL (or all of them), as UTF-8. */
    public static String of(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
