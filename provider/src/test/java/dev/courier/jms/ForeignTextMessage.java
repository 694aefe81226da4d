package dev.courier.jms;

import jakarta.jms.TextMessage;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A TextMessage of "another provider": a proxy that stores headers and text in a map. */
final class ForeignTextMessage {

    private ForeignTextMessage() {
    }

    static TextMessage create(String text) {
        Map<String, Object> state = new HashMap<>();
        state.put("Text", text);
        return (TextMessage) Proxy.newProxyInstance(ForeignTextMessage.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("getPropertyNames")) {
                        return java.util.Collections.emptyEnumeration();
                    }
                    if (name.startsWith("set") && args != null && args.length == 1) {
                        state.put(name.substring(3), args[0]);
                        return null;
                    }
                    if (name.startsWith("get") && (args == null || args.length == 0)) {
                        Object value = state.get(name.substring(3));
                        Class<?> type = method.getReturnType();
                        if (value == null && type.isPrimitive()) {
                            return type == boolean.class ? Boolean.FALSE
                                    : type == long.class ? Long.valueOf(0) : Integer.valueOf(0);
                        }
                        return value;
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("equals")) {
                        return proxy == args[0];
                    }
                    return null;
                });
    }
}
