package org.openess.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.simulator.EmbeddedSimulator;
import org.openess.gateway.service.GatewayService;
import org.openess.gateway.testsupport.BrowserTest;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.Provisioned;
import org.openess.gateway.testsupport.SimulatedSite;
import org.openess.gateway.testsupport.TestDatabase;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The status page in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * scripts/test.sh): the device list fills, the charts hold points, an alarm shows, and on a phone-
 * sized window nothing overflows sideways. Leaves screenshots in target/ (docs/status-page.png is one).
 */
@QuarkusTest
@SimulatedSite(database = "page", simulatedDevices = 2, devices = { "site-1=0", "site-2=1" }, profiles = "site-1=fast-alarms")
@DbTest
@BrowserTest
class StatusPageBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @Inject
    GatewayService gateway;
    @Inject
    EmbeddedSimulator simulator;
    @Provisioned
    TestDatabase db;

    @TestHTTPResource("/")
    URL page;

    @Test
    void deviceListChartsAndAlarmsHoldDataInARealBrowser() throws IOException {
        assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "needs Debian's chromium and chromium-driver (scripts/test.sh installs them)");
        gateway.start();
        // an hour of history for the charts: the minutes before start, as a gateway running since then would have stored
        db.execute("INSERT INTO bank (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"BANK_SOC\", \"BANK_DC_VOLT\", \"BANK_DC_CURRENT\", "
                + "\"BANK_POWER\", \"MAX_CELL_TEMPERATURE_OF_BANK\", \"MIN_CELL_TEMPERATURE_OF_BANK\") SELECT date_trunc('second', now()) - "
                + "s * interval '1 second', 'site-1', 1, 55 + 30 * sin(s / 573.0), 760 + 20 * sin(s / 573.0), 80 * sin(s / 95.0), "
                + "250 * sin(s / 95.0), 31 + 5 * sin(s / 573.0), 25 + 5 * sin(s / 573.0) FROM generate_series(30, 3600) s "
                + "ON CONFLICT DO NOTHING");
        for (String table : List.of("pcs", "etc")) {
            db.execute("INSERT INTO " + table + " (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\") SELECT date_trunc('second', now()) - s * interval "
                    + "'1 second', 'site-1', 1 FROM generate_series(30, 3600) s ON CONFLICT DO NOTHING");
        }
        db.execute("INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\") SELECT date_trunc('second', now()) - s * interval "
                + "'1 second', 'site-1', 1, r FROM generate_series(30, 3600) s, generate_series(1, 8) r ON CONFLICT DO NOTHING");
        simulator.server().devices().get(0).override("RACK_MAX_CELL_TEMPERATURE", 4, 52.0); // rack 5 over 50 °C
        Path profileDir = Files.createTempDirectory("chromium-profile");
        WebDriver driver = start(profileDir);
        try {
            driver.manage().window().setSize(new Dimension(1280, 1400));
            driver.get(page.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#devices tbody tr[data-device]")).size() == 2);
            List<String> ids = driver.findElements(By.cssSelector("#devices tbody tr[data-device]")).stream()
                    .map(e -> e.getAttribute("data-device")).toList();
            assertEquals(List.of("site-1", "site-2"), ids);
            wait.until(d -> d.findElement(By.cssSelector("#devices tbody tr[data-device='site-1'] .badge")).getText().equals("ok"));
            for (String chart : List.of("chart-soc", "chart-voltage", "chart-current", "chart-power", "chart-temperature")) {
                wait.until(d -> Integer.parseInt(d.findElement(By.id(chart)).getAttribute("data-points")) > 300);
                WebElement canvas = driver.findElement(By.cssSelector("#" + chart + " canvas"));
                assertTrue(canvas.getSize().getWidth() > 200, chart + " canvas width " + canvas.getSize());
            }
            wait.until(d -> !d.findElements(By.cssSelector("#alarms li[data-code='CELL_OVER_TEMPERATURE']")).isEmpty());
            wait.until(d -> !d.findElements(By.cssSelector("#loss tbody tr[data-device='site-1']")).isEmpty());
            wait.until(d -> d.findElement(By.id("storage")).getText().equals("database ok"));
            // the last hour: the series start about an hour ago
            Object firstT = ((JavascriptExecutor) driver).executeScript(
                    "return fetch('/api/devices/site-1/history').then(r => r.json()).then(h => h.t[0])");
            long ageMinutes = (System.currentTimeMillis() / 1000 - ((Number) firstT).longValue()) / 60;
            assertTrue(ageMinutes >= 55 && ageMinutes <= 60, "first point " + ageMinutes + " min ago");
            save(driver, "status-page.png");

            // a phone: one column, no sideways scrolling, charts as wide as the screen
            driver.manage().window().setSize(new Dimension(400, 900));
            wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue() <= 0);
            long canvasWidth = ((Number) ((JavascriptExecutor) driver).executeScript(
                    "return document.querySelector('#chart-soc canvas').getBoundingClientRect().width")).longValue();
            assertTrue(canvasWidth >= 260 && canvasWidth <= 400, "phone chart width " + canvasWidth);
            save(driver, "status-page-phone.png");
            List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
            assertEquals(List.of(), severe, "browser console errors");
        } finally {
            driver.quit();
            simulator.server().devices().get(0).override("RACK_MAX_CELL_TEMPERATURE", 4, null);
        }
    }

    private static WebDriver start(Path profileDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profileDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void save(WebDriver driver, String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Path out = Path.of("target", name);
        Files.write(out, png);
    }
}
