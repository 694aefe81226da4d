package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.VmBrokers;
import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@AllTransports
class JMSContextTest extends BrokerFixture {

    @Test
    void createsAContextInEverySessionModeAndRefusesOthers() {
        CourierConnectionFactory factory = factory();
        try (JMSContext plain = factory.createContext();
             JMSContext withUser = factory.createContext("user", "secret");
             JMSContext client = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
             JMSContext dupsOk = factory.createContext("user", "secret", JMSContext.DUPS_OK_ACKNOWLEDGE);
             JMSContext transacted = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, plain.getSessionMode());
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, withUser.getSessionMode());
            assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, client.getSessionMode());
            assertEquals(JMSContext.DUPS_OK_ACKNOWLEDGE, dupsOk.getSessionMode());
            assertTrue(transacted.getTransacted());
            assertFalse(plain.getTransacted());
        }
        assertThrows(JMSRuntimeException.class, () -> factory.createContext(42));
    }

    @Test
    void autoStartDeliversToTheFirstConsumerWithoutStart() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "hello");
            assertTrue(context.getAutoStart());
            assertEquals("hello", context.createConsumer(q).receiveBody(String.class, WAIT_MS));
        }
    }

    @Test
    void withoutAutoStartNothingArrivesUntilStart() {
        try (JMSContext context = factory().createContext()) {
            context.setAutoStart(false);
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "held");
            JMSConsumer consumer = context.createConsumer(q);
            assertNull(consumer.receive(ABSENT_MS));
            context.start();
            assertEquals("held", consumer.receiveBody(String.class, WAIT_MS));
            context.stop();
            context.createProducer().send(q, "after stop");
            assertNull(consumer.receive(ABSENT_MS));
            context.start();
            assertEquals("after stop", consumer.receiveBody(String.class, WAIT_MS));
        }
    }

    @Test
    void clientIdCanBeSetFirstThingButNotLaterNorTwiceInTheBroker() {
        try (JMSContext first = factory().createContext(); JMSContext second = factory().createContext()) {
            first.setClientID("app");
            assertEquals("app", first.getClientID());
            assertThrows(IllegalStateRuntimeException.class, () -> first.setClientID("other"));
            assertThrows(InvalidClientIDRuntimeException.class, () -> second.setClientID("app"));
        }
        try (JMSContext used = factory().createContext()) {
            used.createConsumer(used.createQueue("q"));
            assertThrows(IllegalStateRuntimeException.class, () -> used.setClientID("late"));
        }
        try (JMSContext configured = factory("clientID=admin").createContext()) {
            assertEquals("admin", configured.getClientID());
            assertThrows(IllegalStateRuntimeException.class, () -> configured.setClientID("mine"));
        }
    }

    @Test
    void contextsMadeFromAContextShareItsConnectionUntilTheLastCloses() {
        JMSContext first = factory().createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, second.getSessionMode());
        first.setClientID("shared");
        assertEquals("shared", second.getClientID());
        TemporaryQueue temp = first.createTemporaryQueue();
        first.createProducer().send(temp, "kept");
        assertEquals(1, broker().connectionCount());
        first.close();
        assertThrows(IllegalStateRuntimeException.class, () -> first.createProducer());
        assertEquals("kept", second.createConsumer(temp).receiveBody(String.class, WAIT_MS),
                "the connection and its temporary queue outlive the first context");
        second.close();
        assertEquals(0, broker().connectionCount());
        assertThrows(IllegalStateRuntimeException.class, () -> second.createContext(JMSContext.AUTO_ACKNOWLEDGE));
    }

    @Test
    void clientAcknowledgeAcknowledgesEverythingTheContextConsumed() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "a").send(q, "b").send(q, "c");
            JMSConsumer consumer = context.createConsumer(q);
            assertEquals("a", consumer.receiveBody(String.class, WAIT_MS));
            assertEquals("b", consumer.receiveBody(String.class, WAIT_MS));
            context.recover();
            Message again = consumer.receive(WAIT_MS);
            assertTrue(again.getJMSRedelivered());
            assertEquals("a", again.getBody(String.class));
            assertEquals("b", consumer.receiveBody(String.class, WAIT_MS));
            context.acknowledge();
        }
        try (JMSContext context = factory().createContext()) {
            JMSConsumer consumer = context.createConsumer(context.createQueue("q"));
            assertEquals("c", consumer.receiveBody(String.class, WAIT_MS));
            assertNull(consumer.receive(ABSENT_MS), "acknowledged messages must not come back");
        }
    }

    @Test
    void transactedContextCommitsAndRollsBack() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext observer = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSConsumer watcher = observer.createConsumer(q);
            context.createProducer().send(q, "tx");
            assertNull(watcher.receive(ABSENT_MS), "an uncommitted send is invisible");
            context.rollback();
            assertNull(watcher.receive(ABSENT_MS), "a rolled back send never arrives");
            context.createProducer().send(q, "tx2");
            context.commit();
            assertEquals("tx2", watcher.receiveBody(String.class, WAIT_MS));
            watcher.close();

            observer.createProducer().send(q, "work");
            JMSConsumer consumer = context.createConsumer(q);
            assertEquals("work", consumer.receiveBody(String.class, WAIT_MS));
            context.rollback();
            Message redelivered = consumer.receive(WAIT_MS);
            assertTrue(redelivered.getJMSRedelivered());
            context.commit();
            assertNull(consumer.receive(ABSENT_MS));
        }
    }

    @Test
    void checkedExceptionsSurfaceAsTheirRuntimeCounterparts() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.createConsumer(null));
            assertThrows(InvalidSelectorRuntimeException.class, () -> context.createConsumer(q, "a ="));
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.unsubscribe("nothing"));
            IllegalStateRuntimeException notTransacted =
                    assertThrows(IllegalStateRuntimeException.class, context::commit);
            assertInstanceOf(IllegalStateException.class, notTransacted.getCause());
            assertThrows(IllegalStateRuntimeException.class, context::rollback);
        }
        try (JMSContext transacted = factory().createContext(JMSContext.SESSION_TRANSACTED)) {
            assertThrows(IllegalStateRuntimeException.class, transacted::recover);
        }
    }

    @Test
    void aClosedContextRefusesWorkAndClosesQuietlyAgain() {
        JMSContext context = factory().createContext();
        Queue q = context.createQueue("q");
        context.close();
        context.close();
        assertThrows(IllegalStateRuntimeException.class, () -> context.createConsumer(q));
        assertThrows(IllegalStateRuntimeException.class, context::createProducer);
        assertThrows(IllegalStateRuntimeException.class, context::createTextMessage);
        assertThrows(IllegalStateRuntimeException.class, context::acknowledge);
        assertThrows(IllegalStateRuntimeException.class, context::start);
    }

    @Test
    void closeOrStopFromItsOwnMessageListenerIsRefused() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            AtomicReference<RuntimeException> onClose = new AtomicReference<>();
            AtomicReference<RuntimeException> onStop = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            context.createConsumer(q).setMessageListener(message -> {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    onClose.set(e);
                }
                try {
                    context.stop();
                } catch (RuntimeException e) {
                    onStop.set(e);
                }
                done.countDown();
            });
            context.createProducer().send(q, "go");
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(IllegalStateRuntimeException.class, onClose.get());
            assertInstanceOf(IllegalStateRuntimeException.class, onStop.get());
        }
    }

    @Test
    void createsEveryMessageTypeAndBrowsersAndTemporaryDestinations() throws Exception {
        try (JMSContext context = factory().createContext()) {
            assertNotNull(context.createMessage());
            assertInstanceOf(BytesMessage.class, context.createBytesMessage());
            assertInstanceOf(MapMessage.class, context.createMapMessage());
            assertInstanceOf(ObjectMessage.class, context.createObjectMessage());
            assertEquals("x", context.createObjectMessage("x").getObject());
            assertInstanceOf(StreamMessage.class, context.createStreamMessage());
            assertNull(context.createTextMessage().getText());
            TextMessage text = context.createTextMessage("t");
            assertEquals("t", text.getText());
            assertNotNull(context.getMetaData().getJMSVersion());

            Queue q = context.createQueue("browsed");
            context.createProducer().send(q, "one").send(q, "two");
            QueueBrowser browser = context.createBrowser(q);
            assertEquals(2, Collections.list(browser.getEnumeration()).size());
            assertEquals(0, Collections.list(context.createBrowser(q, "JMSPriority = 9").getEnumeration()).size());
            assertNotNull(context.createTemporaryTopic());
            assertNotNull(context.createTopic("t"));
        }
    }

    @Test
    void exceptionListenerIsKeptOnTheConnection() {
        try (JMSContext context = factory().createContext()) {
            assertNull(context.getExceptionListener());
            jakarta.jms.ExceptionListener listener = e -> { };
            context.setExceptionListener(listener);
            assertSame(listener, context.getExceptionListener());
        }
    }
}
