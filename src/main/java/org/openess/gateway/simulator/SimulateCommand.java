package org.openess.gateway.simulator;

import org.openess.gateway.cli.CliArgs;

import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code simulate [--devices N] [--base-port P] [--host H] [--profile operation1|FILE] [--glitch-every S]}:
 * serves N simulated devices until stopped (Ctrl-C / SIGTERM).
 */
@ApplicationScoped
public class SimulateCommand {
    public static final String USAGE = "simulate [--devices N (1)] [--base-port P (15020)] [--host H (127.0.0.1)] "
            + "[--profile operation1|FILE|sunspec:1,802,803,804[:strings=N][:modules=M]] [--glitch-every SECONDS (0 = never)]";

    @Inject
    Vertx vertx;

    public int run(String[] args) {
        CliArgs a = CliArgs.parse("simulate", args,
                CliArgs.options("--devices", "--base-port", "--host", "--profile", "--glitch-every"));
        int devices = a.integer("--devices", 1, 1, 20_000);
        int basePort = a.integer("--base-port", 15020, 1, 65535);
        int glitch = a.integer("--glitch-every", 0, 0, 86_400);
        // --profile sunspec:1,802,803,804[:strings=N][:modules=M] serves SunSpec chains (see SunSpecChain)
        SimulatorServer server = Simulators.create(vertx, a.string("--profile", "operation1"), devices, a.string("--host", "127.0.0.1"),
                basePort, glitch);
        server.start().toCompletionStage().toCompletableFuture().join();
        System.out.printf("simulating %d device(s) on %s:%d-%d; Ctrl-C to stop%n", devices, a.string("--host", "127.0.0.1"),
                basePort, basePort + devices - 1);
        Quarkus.waitForExit();
        server.stop();
        return 0;
    }
}
