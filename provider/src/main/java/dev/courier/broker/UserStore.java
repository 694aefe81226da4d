package dev.courier.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users a broker accepts: a properties file, one line per user,
 * {@code NAME=pbkdf2-sha256:ITERATIONS:SALT:HASH} (salt and hash in Base64), made with
 * {@code java -jar courier.jar hash-password PASSWORD}. Passwords are never stored: only a salted,
 * deliberately slow PBKDF2 hash, compared in constant time. Immutable once loaded.
 */
public final class UserStore {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 120_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final Map<String, String> entries;
    private final String origin;

    private UserStore(Map<String, String> entries, String origin) {
        this.entries = entries;
        this.origin = origin;
    }

    /**
     * Loads a user file: a path, or {@code classpath:NAME} for a resource.
     *
     * @throws IOException when it cannot be read or an entry is malformed (naming the user)
     */
    public static UserStore load(String location) throws IOException {
        Properties properties = new Properties();
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("user file " + location + " not found on the class path");
                }
                properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } else {
            try (Reader reader = Files.newBufferedReader(Path.of(location), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        Map<String, String> entries = new HashMap<>();
        for (String user : properties.stringPropertyNames()) {
            String entry = properties.getProperty(user).trim();
            if (entry.split(":").length != 4 || !entry.startsWith(SCHEME + ":")) {
                throw new IOException("user '" + user + "' in " + location + " is not " + SCHEME
                        + ":ITERATIONS:SALT:HASH (make one with: java -jar courier.jar hash-password PASSWORD)");
            }
            entries.put(user, entry);
        }
        return new UserStore(Map.copyOf(entries), location);
    }

    /** True when the user exists and the password matches its hash. */
    public boolean verify(String user, String password) {
        String entry = entries.get(user);
        if (entry == null || password == null) {
            return false;
        }
        String[] parts = entry.split(":");
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations, expected.length * 8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A user file entry for a password, with a fresh random salt. */
    public static String entry(String password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "UserStore[" + origin + ", " + entries.size() + " users]";
    }
}
