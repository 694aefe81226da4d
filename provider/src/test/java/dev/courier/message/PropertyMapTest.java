package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PropertyMapTest {

    @Test
    void keepsNamesInTheOrderFirstSetAndReplacesInPlace() {
        PropertyMap map = new PropertyMap();
        assertNull(map.put("b", 1));
        assertNull(map.put("a", "x"));
        assertNull(map.put("n", null));
        assertEquals(1, map.put("b", 2));
        assertEquals(List.of("b", "a", "n"), new ArrayList<>(map.keySet()));
        assertEquals(2, map.get("b"));
        assertTrue(map.containsKey("n"), "a property set to null exists");
        assertNull(map.get("n"));
        assertFalse(map.containsKey("zz"));
        assertNull(map.get(null));
        assertFalse(map.containsKey(null));
        assertEquals("x", map.remove("a"));
        assertEquals(List.of("b", "n"), new ArrayList<>(map.keySet()));
        assertEquals("n", map.name(1));
        assertThrows(NullPointerException.class, () -> map.put(null, 1));
    }

    @Test
    void equalsAnyMapWithTheSameEntries() {
        PropertyMap map = new PropertyMap();
        map.put("k", 1);
        map.put("s", "v");
        Map<String, Object> hash = new HashMap<>(Map.of("s", "v", "k", 1));
        assertEquals(hash, map);
        assertEquals(map, hash);
        assertEquals(hash.hashCode(), map.hashCode());
        assertEquals(map, PropertyMap.copyOf(hash));
    }

    @Test
    void frozenRefusesEveryChangeButCopiesAreWritable() {
        PropertyMap map = new PropertyMap();
        map.put("k", 1);
        map.freeze();
        assertThrows(UnsupportedOperationException.class, () -> map.put("k", 2));
        assertThrows(UnsupportedOperationException.class, () -> map.put("new", 2));
        assertThrows(UnsupportedOperationException.class, () -> map.remove("k"));
        assertThrows(UnsupportedOperationException.class, map::clear);
        assertThrows(UnsupportedOperationException.class, () -> PropertyMap.EMPTY.put("k", 1));
        assertEquals(Map.of("k", 1), map);
        PropertyMap copy = map.copy();
        copy.put("k", 3);
        copy.put("j", 4);
        assertEquals(Map.of("k", 1), map, "the frozen original is untouched");
        assertEquals(Map.of("k", 3, "j", 4), copy);
    }

    /** Past a few dozen names the map keeps a hash index; every change must keep it true. */
    @Test
    void agreesWithALinkedHashMapThroughRandomChangesAtEverySize() {
        Random random = new Random(42);
        PropertyMap map = new PropertyMap();
        Map<String, Object> reference = new LinkedHashMap<>();
        for (int step = 0; step < 20_000; step++) {
            String name = "p" + random.nextInt(60);
            switch (random.nextInt(4)) {
                case 0, 1 -> assertEquals(reference.put(name, step), map.put(name, step));
                case 2 -> assertEquals(reference.remove(name), map.remove(name));
                default -> {
                    assertEquals(reference.get(name), map.get(name));
                    assertEquals(reference.containsKey(name), map.containsKey(name));
                }
            }
            if (step % 997 == 0) {
                assertEquals(new ArrayList<>(reference.keySet()), new ArrayList<>(map.keySet()));
                assertEquals(reference, map.copy());
            }
            if (step % 5_000 == 4_999) {
                map.clear();
                reference.clear();
            }
        }
        assertEquals(reference, map);
    }
}
