package io.sqliteasync.r2dbc;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads bound {@link Blob} and {@link Clob} values into memory: SQLite binds a whole value at once (sqlite-jdbc has
 * no incremental blob I/O), so a LOB is collected before its statement is submitted. Runs on the thread that
 * delivers the LOB's chunks.
 */
final class Lobs {
    private Lobs() {
    }

    static Mono<Object> collect(Object lob) {
        if (lob instanceof Blob) {
            Blob b = (Blob) lob;
            return Flux.from(b.stream())
                    .collect(ByteArrayOutputStream::new, (out, buf) -> {
                        ByteBuffer d = buf.duplicate();
                        byte[] bytes = new byte[d.remaining()];
                        d.get(bytes);
                        out.write(bytes, 0, bytes.length);
                    })
                    .<Object>map(ByteArrayOutputStream::toByteArray)
                    .switchIfEmpty(Mono.fromSupplier(() -> new byte[0]));
        }
        Clob c = (Clob) lob;
        return Flux.from(c.stream())
                .collect(StringBuilder::new, StringBuilder::append)
                .<Object>map(StringBuilder::toString)
                .switchIfEmpty(Mono.just(""));
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer d = buffer.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return bytes;
    }
}
