package dev.courier.jms.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An {@link ObjectInputStream} that resolves a class only when a {@link DeserializationPolicy}
 * allows it, checking the name before the class is even loaded. Classes are looked up through
 * the thread's context class loader first, so application classes resolve in containers.
 * Not thread-safe; used for one deserialization.
 */
final class PolicyObjectInputStream extends ObjectInputStream {

    private final DeserializationPolicy policy;

    PolicyObjectInputStream(InputStream in, DeserializationPolicy policy) throws IOException {
        super(in);
        this.policy = policy;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String name = desc.getName();
        check(name);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException notVisible) {
                // Fall through to the default lookup, which also knows primitive type names.
            }
        }
        return super.resolveClass(desc);
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        for (String name : interfaces) {
            check(name);
        }
        return super.resolveProxyClass(interfaces);
    }

    private void check(String className) throws InvalidClassException {
        if (!policy.allows(className)) {
            throw new InvalidClassException(className, DeserializationPolicy.refusal(className));
        }
    }
}
