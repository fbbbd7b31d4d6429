package org.openess.gateway.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;

/** Starts what an {@link AcceptorSite} asks for and configures one gateway device per unit. */
public class AcceptorSiteResource implements QuarkusTestResourceConfigurableLifecycleManager<AcceptorSite> {
    private AcceptorSite site;
    private final List<AutoCloseable> started = new ArrayList<>();

    @Override
    public void init(AcceptorSite annotation) {
        this.site = annotation;
    }

    /** The id of the n-th device (from 0). */
    public static String id(int n) {
        return String.format("d%05d", n);
    }

    @Override
    public Map<String, String> start() {
        TestDatabase db = TestDatabase.create(site.database());
        started.add(db);
        RecordingAcceptor acceptor = RecordingAcceptor.start(site.answering(), site.silent());
        started.add(acceptor);
        Map<String, String> c = new HashMap<>(db.quarkusConfig());
        int n = 0;
        for (int e = 0; e < acceptor.endpoints(); e++) {
            int units = e < site.answering() ? site.unitsPerEndpoint() : 1;
            for (int u = 1; u <= units; u++) {
                String id = id(n++);
                c.put("ess.devices." + id + ".host", "127.0.0.1");
                c.put("ess.devices." + id + ".port", Integer.toString(acceptor.basePort() + e));
                c.put("ess.devices." + id + ".unit-id", Integer.toString(u));
                for (String entry : site.deviceConfig()) {
                    int eq = entry.indexOf('=');
                    c.put("ess.devices." + id + "." + entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        }
        for (String entry : site.config()) {
            int eq = entry.indexOf('=');
            c.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return c;
    }

    @Override
    public void inject(TestInjector injector) {
        for (Object resource : started) {
            injector.injectIntoFields(resource, new TestInjector.AnnotatedAndMatchesType(Provisioned.class, resource.getClass()));
        }
    }

    @Override
    public void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // the class is over
            }
        }
        started.clear();
    }
}
