package dev.courier.store;

import java.util.List;

/**
 * What {@link MessageStore#readQueue} found: the readable messages in ascending id order, the
 * highest id it looked at (readable or not; the next read starts after it), and how many rows it
 * skipped because they could not be decoded.
 *
 * @param lastMessageId the highest message id scanned, or the {@code afterMessageId} asked for
 *                      when nothing was scanned
 */
public record QueuePage(List<StoredReference> messages, long lastMessageId, int unreadable) {

    /** Whether the read found no row at all: the queue holds nothing after the id asked for. */
    public boolean isEmpty() {
        return messages.isEmpty() && unreadable == 0;
    }
}
