package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedLengthTest {

    @Test
    void isTheEncodingsLengthForEveryHeaderAndPropertyKind() {
        MessageRecord full = MessageCodecTest.full();
        assertEquals(MessageCodec.encode(full).length, EncodedLength.of(full));
    }

    @Test
    void isTheEncodingsLengthForBytesObjectEmptyAndTextBodiesOfEverySize() {
        for (int size : new int[] {0, 1, 127, 128, 1024, 16_384, 2_097_152}) {
            byte[] bytes = new byte[size];
            String text = "é".repeat(size / 2);
            for (MessageRecord r : List.of(
                    record().body(BodyType.BYTES, bytes).build(),
                    record().body(BodyType.OBJECT, bytes).build(),
                    record().body(BodyType.OBJECT, null).build(),
                    record().body(BodyType.TEXT, text).build(),
                    record().body(BodyType.TEXT, null).build(),
                    record().body(BodyType.NONE, null).build())) {
                assertEquals(MessageCodec.encode(r).length, EncodedLength.of(r), r.bodyType() + " of " + size);
            }
        }
    }

    @Test
    void isTheEncodingsLengthWithCorrelationBytesAndLargeTimes() {
        MessageRecord r = record().correlationIdBytes(new byte[300]).timestamp(Long.MAX_VALUE)
                .expiration(Long.MIN_VALUE).deliveryTime(1L << 40).messageId(null).type(null).replyTo(null)
                .properties(Map.of("bytes", new byte[200], "c", 'x', "k", 7)).body(BodyType.BYTES, new byte[1024]).build();
        assertEquals(MessageCodec.encode(r).length, EncodedLength.of(r));
    }

    @Test
    void isUnknownForMapAndStreamBodies() {
        assertEquals(-1, EncodedLength.of(record().body(BodyType.MAP, Map.of("a", 1)).build()));
        assertEquals(-1, EncodedLength.of(record().body(BodyType.STREAM, List.of(1, "two")).build()));
    }

    private static MessageRecord.Builder record() {
        return MessageCodecTest.full().toBuilder();
    }
}
