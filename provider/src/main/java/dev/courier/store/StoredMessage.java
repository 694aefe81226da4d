package dev.courier.store;

import dev.courier.message.MessageRecord;

/**
 * A persistent message as the store knows it: a broker-assigned id, unique for the store's
 * lifetime (ids keep increasing across restarts), and the record.
 */
public record StoredMessage(long id, MessageRecord record) {
}
