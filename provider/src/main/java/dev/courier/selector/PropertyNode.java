package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** A message property (application, {@code JMSX*} or {@code JMS_*}); a missing one is NULL. */
final class PropertyNode extends Node {

    private final String name;

    PropertyNode(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** True for an application's own property, as opposed to the reserved JMSX and JMS_ names. */
    boolean isApplicationProperty() {
        return !name.startsWith("JMSX") && !name.startsWith("JMS_");
    }

    @Override
    Object value(MessageRecord message) {
        return message.property(name);
    }
}
