package dev.ember.nn.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from checkpoint metadata parsed as JSON. The metadata comes from a file, so every read
 * checks type and range and fails with a {@link CheckpointException} naming the field.
 */
final class Config {
    private final String where;
    private final Map<?, ?> map;

    Config(String where, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new CheckpointException(null, "metadata " + where + " must be a JSON object");
        }
        this.where = where;
        this.map = m;
    }

    /** Parses metadata value {@code key} of {@code metadata} as a JSON object. */
    static Config parse(Map<String, String> metadata, String key) {
        String text = metadata.get(key);
        if (text == null) {
            throw new CheckpointException(null, "__metadata__ has no '" + key + "'");
        }
        return new Config(key, Json.parse(text));
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    String string(String key) {
        if (!(map.get(key) instanceof String s)) {
            throw bad(key, "a string");
        }
        return s;
    }

    long integer(String key, long min, long max) {
        if (!(map.get(key) instanceof Long n) || n < min || n > max) {
            throw bad(key, "an integer in [" + min + ", " + max + "]");
        }
        return n;
    }

    double number(String key) {
        Object v = map.get(key);
        if (v instanceof Long n) {
            return n;
        }
        if (!(v instanceof Double d) || !Double.isFinite(d)) {
            throw bad(key, "a finite number");
        }
        return d;
    }

    boolean bool(String key) {
        if (!(map.get(key) instanceof Boolean b)) {
            throw bad(key, "true or false");
        }
        return b;
    }

    List<?> list(String key, int maxSize) {
        if (!(map.get(key) instanceof List<?> l) || l.size() > maxSize) {
            throw bad(key, "an array of at most " + maxSize + " items");
        }
        return l;
    }

    Config object(String key) {
        return new Config(where + "." + key, map.get(key));
    }

    int[] dims(String key) {
        List<?> l = list(key, SafetensorsHeader.MAX_RANK);
        int[] d = new int[l.size()];
        for (int i = 0; i < d.length; i++) {
            if (!(l.get(i) instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
                throw bad(key, "an array of positive ints");
            }
            d[i] = (int) (long) n;
        }
        return d;
    }

    CheckpointException bad(String key, String what) {
        return new CheckpointException(null, "metadata " + where + "." + key + " must be " + what + ", got "
                + map.get(key));
    }
}
