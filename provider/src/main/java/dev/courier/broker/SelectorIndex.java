package dev.courier.broker;

import dev.courier.message.MessageRecord;
import dev.courier.selector.IndexKey;
import dev.courier.selector.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Routes by selector without evaluating every selector for every message: targets whose
 * selector is an equality or IN test on one property ({@link IndexKey}) sit in a hash map from
 * property value to targets; the rest are listed for evaluation. Routing cost then grows with the
 * number of distinct indexed properties, not with the number of targets.
 *
 * <p>Immutable: rebuilt when targets come or go (rare), read on every message without locking.
 *
 * @param <T> what is routed to: subscriptions or queue consumers
 */
final class SelectorIndex<T> {

    private static final SelectorIndex<?> EMPTY = new SelectorIndex<>(List.of(), new String[0], List.of());

    private final List<T> unindexed;
    private final String[] properties;
    private final List<Map<Object, List<T>>> byValue;

    private SelectorIndex(List<T> unindexed, String[] properties, List<Map<Object, List<T>>> byValue) {
        this.unindexed = unindexed;
        this.properties = properties;
        this.byValue = byValue;
    }

    @SuppressWarnings("unchecked")
    static <T> SelectorIndex<T> empty() {
        return (SelectorIndex<T>) EMPTY;
    }

    static <T> SelectorIndex<T> of(List<T> targets, Function<T, Selector> selectorOf) {
        List<T> unindexed = new ArrayList<>();
        Map<String, Map<Object, List<T>>> index = new HashMap<>();
        for (T target : targets) {
            IndexKey key = selectorOf.apply(target).indexKey();
            if (key == null) {
                unindexed.add(target);
                continue;
            }
            Map<Object, List<T>> values = index.computeIfAbsent(key.property(), p -> new HashMap<>());
            for (Object value : key.values()) {
                values.computeIfAbsent(value, v -> new ArrayList<>()).add(target);
            }
        }
        String[] properties = index.keySet().toArray(new String[0]);
        List<Map<Object, List<T>>> byValue = new ArrayList<>(properties.length);
        for (String property : properties) {
            byValue.add(index.get(property));
        }
        return new SelectorIndex<>(List.copyOf(unindexed), properties, byValue);
    }

    /** Targets whose selectors must be evaluated for each message. */
    List<T> unindexed() {
        return unindexed;
    }

    /** How many distinct properties are indexed. */
    int indexedProperties() {
        return properties.length;
    }

    /** Targets of indexed property {@code i} whose selector the message satisfies; never null. */
    List<T> matches(int i, MessageRecord record) {
        Object value = record.property(properties[i]);
        if (value == null) {
            return List.of();
        }
        List<T> hits = byValue.get(i).get(IndexKey.normalize(value));
        return hits == null ? List.of() : hits;
    }
}
