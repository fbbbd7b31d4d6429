package org.openess.gateway.simulator;

import java.util.concurrent.Callable;

import org.openess.gateway.config.HelpOption;

import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves N simulated devices until stopped (Ctrl-C / SIGTERM). */
@Command(name = "simulate", sortOptions = false, showDefaultValues = true,
        description = "Serve simulated Modbus TCP devices on consecutive ports (or as the units of one RTU bus over TCP) until "
                + "stopped (Ctrl-C).")
public class SimulateCommand implements Callable<Integer> {
    @Option(names = "--devices", paramLabel = "N", defaultValue = "1", description = "Number of devices, 1..20000.")
    int devices;
    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "15020", description = "Port of the first device; "
            + "device i listens on PORT+i.")
    int basePort;
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String host;
    @Option(names = "--profile", paramLabel = "operation1|FILE|sunspec:MODELS", defaultValue = "operation1",
            description = { "Built-in profile name, a YAML/JSON profile file, or a SunSpec chain:",
                    "sunspec:1,802,803,804[:strings=N][:modules=M]." })
    String profile;
    @Option(names = "--glitch-every", paramLabel = "SECONDS", defaultValue = "0",
            description = "Every SECONDS serve one range-checked point out of range; 0..86400, 0 = never.")
    int glitchEvery;
    @Option(names = "--transport", paramLabel = "tcp|rtu-over-tcp", defaultValue = "tcp",
            description = { "tcp: Modbus TCP, device i on PORT+i; rtu-over-tcp: every device on PORT as unit",
                    "i+1 of one RTU bus (RTU frames with CRC over TCP, as a serial-to-Ethernet converter)." })
    String transport;
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;
    @Inject
    Vertx vertx;
    @Inject
    org.openess.gateway.sunspec.SunSpecModelFolder sunspecModels;

    @Override
    public Integer call() {
        OptionRanges.check(spec, "--devices", devices, 1, 20_000);
        OptionRanges.check(spec, "--base-port", basePort, 1, 65_535);
        OptionRanges.check(spec, "--glitch-every", glitchEvery, 0, 86_400);
        boolean rtu = "rtu-over-tcp".equals(transport);
        if (!rtu && !"tcp".equals(transport)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--transport must be tcp or rtu-over-tcp, got '" + transport + "'");
        }
        if (rtu) {
            OptionRanges.check(spec, "--devices", devices, 1, 247);
        }
        // sunspec:1,802,803,804[:strings=N][:modules=M] serves SunSpec chains (see SunSpecChain)
        // a chain may use the models of ess.sunspec.models-dir too (e.g. the upstream json/ folder)
        SimulatorServer server = Simulators.create(vertx, profile, devices, host, basePort, glitchEvery,
                SunSpecChain.isSpec(profile) ? sunspecModels.models() : org.openess.gateway.sunspec.SunSpecModels.builtin());
        if (rtu) {
            server.rtuOverTcp();
        }
        server.start().toCompletionStage().toCompletableFuture().join();
        if (rtu) {
            System.out.printf("simulating %d device(s) as units 1-%d of an RTU bus over TCP on %s:%d; Ctrl-C to stop%n", devices, devices,
                    host, basePort);
        } else {
            System.out.printf("simulating %d device(s) on %s:%d-%d; Ctrl-C to stop%n", devices, host, basePort, basePort + devices - 1);
        }
        Quarkus.waitForExit();
        server.stop();
        return 0;
    }
}
