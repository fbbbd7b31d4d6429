package org.openess.gateway.storage.spool;

import java.io.IOException;
import java.nio.file.Path;

import org.openess.gateway.config.WhenFull;
import org.openess.gateway.config.SyncPolicy;
import org.openess.gateway.decode.CycleOutput;

/** A real {@link SpoolStore} holding {@link SpoolFixture} cycles: record n holds tick T0 + (n - 1) s. */
final class StoreFixture {
    private StoreFixture() {
    }

    static RecordCodec codec() {
        return new RecordCodec(SpoolFixture.LAYOUTS);
    }

    static SpoolStore open(Path dir, long segmentBytes) throws IOException {
        SpoolStore store = new SpoolStore(dir, segmentBytes);
        store.open(codec());
        return store;
    }

    /** Appends the cycles of ticks {@code from} to {@code from + count - 1} (in seconds after T0). */
    static void append(SpoolStore store, int from, int count) throws IOException {
        RecordCodec codec = codec();
        for (int i = from; i < from + count; i++) {
            CycleOutput o = cycle(i);
            byte[] payload = codec.encode(o);
            store.append(payload, codec.length(), o.tickMillis());
        }
    }

    static CycleOutput cycle(int second) {
        return SpoolFixture.cycle("site-a", SpoolFixture.T0 + second * 1000L);
    }

    /** Bytes one fixture cycle takes on disk, framing included. */
    static int recordBytes() {
        RecordCodec codec = codec();
        codec.encode(cycle(0));
        return SpoolFormat.RECORD_HEADER_BYTES + codec.length();
    }

    static SpoolRowBuffer.Settings settings(Path dir, SyncPolicy sync, WhenFull whenFull, long maxBytes) {
        return new SpoolRowBuffer.Settings(dir, sync, 50, maxBytes, 64 << 10, whenFull, 0, 100, 100, 4, 20);
    }
}
