/**
 * Courier's JNDI provider: a read-only initial context built from {@code jndi.properties}
 * ({@link dev.courier.jndi.CourierInitialContextFactory}) and the object factory that turns a
 * connection factory's {@link javax.naming.Reference} back into the factory
 * ({@link dev.courier.jndi.CourierObjectFactory}).
 */
package dev.courier.jndi;
