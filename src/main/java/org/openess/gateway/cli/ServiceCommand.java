package org.openess.gateway.cli;

import java.util.concurrent.Callable;

import org.openess.gateway.archive.ArchiveCommand;
import org.openess.gateway.archive.ArchiveSchedule;
import org.openess.gateway.archive.RetentionCommand;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.config.HelpOption;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.simulator.SimulateCommand;

import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;

/**
 * No arguments: the gateway service (poll ess.devices.*, store rows, the nightly archive) until
 * stopped. Everything is configured with ess.* keys, so the service takes no options.
 */
@Command(name = "java -jar quarkus-run.jar", sortOptions = false,
        description = { "Without a command: run the gateway service (poll ess.devices.*, store rows, archive nightly) until "
                + "stopped; configure it with ess.* keys (docs/configuration.md)." },
        subcommands = { SimulateCommand.class, ArchiveCommand.class, RetentionCommand.class, HelpCommand.class },
        footer = { "", "Exit codes: 0 done, 1 configuration or runtime error, 2 bad command line." })
public class ServiceCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Inject
    GatewayService gateway;
    @Inject
    ArchiveSchedule archiveSchedule;
    @Inject
    EssConfig config;

    @Override
    public Integer call() {
        archiveSchedule.start();
        gateway.start();
        Quarkus.waitForExit();
        gateway.stop(config.shutdown().timeout());
        return 0;
    }
}
