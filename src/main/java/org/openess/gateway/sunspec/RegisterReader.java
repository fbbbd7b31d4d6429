package org.openess.gateway.sunspec;

import io.vertx.core.Future;

/** Reads holding registers (function 3) from a device, asynchronously. */
@FunctionalInterface
public interface RegisterReader {
    Future<int[]> read(int start, int count);
}
