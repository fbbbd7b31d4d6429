package org.openess.gateway.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

import org.threeten.bp.Duration;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;

/**
 * Builds the {@code google-cloud-storage} client (JSON API over HTTP) from {@code ess.archive.gcs.*}
 * (timeouts, attempts and retry delays are settings, so tests against the double run in milliseconds):
 * credentials from the credentials file, else from Application Default Credentials (the
 * attached service account on Cloud Run, GOOGLE_APPLICATION_CREDENTIALS, gcloud's user login);
 * with an endpoint and no credentials file, none at all, as emulators expect.
 */
final class GcsClients {
    private GcsClients() {
    }

    static Storage create(ArchiveSettings.Gcs gcs) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, gcs.timeout().toMillis());
        StorageOptions.Builder b = StorageOptions.http()
                .setTransportOptions(HttpTransportOptions.newBuilder().setConnectTimeout(timeoutMs).setReadTimeout(timeoutMs).build())
                .setRetrySettings(retrySettings(gcs))
                .setCredentials(credentials(gcs));
        gcs.projectId().ifPresent(b::setProjectId);
        gcs.endpoint().ifPresent(b::setHost);
        return b.build().getService();
    }

    @SuppressWarnings("deprecation") // the threeten setters are the ones every supported gax version has
    private static RetrySettings retrySettings(ArchiveSettings.Gcs gcs) {
        long perAttempt = gcs.timeout().toMillis();
        long maxDelay = Math.max(gcs.maxRetryDelay().toMillis(), gcs.initialRetryDelay().toMillis());
        return StorageOptions.getDefaultRetrySettings().toBuilder()
                .setMaxAttempts(gcs.maxAttempts())
                .setInitialRetryDelay(Duration.ofMillis(gcs.initialRetryDelay().toMillis()))
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelay(Duration.ofMillis(maxDelay))
                // long enough for every attempt to run into its timeout and back off in between
                .setTotalTimeout(Duration.ofMillis((perAttempt + maxDelay) * gcs.maxAttempts()))
                .build();
    }

    private static Credentials credentials(ArchiveSettings.Gcs gcs) {
        if (gcs.credentialsFile().isPresent()) {
            try (InputStream in = Files.newInputStream(gcs.credentialsFile().get())) {
                return GoogleCredentials.fromStream(in);
            } catch (IOException | RuntimeException e) {
                throw new ArchiveException("ess.archive.gcs.credentials-file: '" + gcs.credentialsFile().get()
                        + "' is not a usable Google credentials JSON (" + e.getMessage() + ")", e);
            }
        }
        if (gcs.endpoint().isPresent()) {
            return NoCredentials.getInstance();
        }
        try {
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
            throw new ArchiveException("no Google Cloud credentials: run with a service account (Cloud Run), set "
                    + "GOOGLE_APPLICATION_CREDENTIALS or ess.archive.gcs.credentials-file to a key file, or run "
                    + "'gcloud auth application-default login' (" + e.getMessage() + ")", e);
        }
    }
}
