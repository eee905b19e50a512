package io.credits.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Headless Chromium for tests, driven through chromedriver over WebDriver: Debian's packages at
 * fixed paths (.ci/run installs them), never a browser or driver fetched by Selenium Manager.
 * One instance per test class (a start costs about a second); each has its own empty profile,
 * deleted on {@link #close}.
 *
 * <p>Reading helpers read what a person sees: the visible text of an element, parsed as a number
 * where the page writes one.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where {@link #screenshot} writes, relative to the module whose tests run (Maven runs them in its directory). */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The longest a page load or a wait may take before the test fails. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * Selenium warns at every start that it has no DevTools bindings for this Chromium's version:
     * none are needed (the screenshot sends a raw DevTools command through chromedriver). Held here
     * because java.util.logging keeps loggers only weakly.
     */
    private static final Logger CDP_VERSION_WARNINGS = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts Chromium with a window of 1280×900 CSS pixels. Fails (never skips) when Chromium or its
     * driver is missing, naming the packages: a browser test that does not run must not pass.
     */
    public static Browser start() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER))
            if (!Files.isExecutable(p))
                throw new IllegalStateException(p + " is missing: the browser tests need Debian's packages chromium and "
                        + "chromium-driver (.ci/run installs them; by hand: sudo apt-get install -y chromium chromium-driver)");
        // Belt and braces: with the driver's path given, Selenium does not ask Selenium Manager, which
        // would otherwise look for (and download) a driver and a browser over the network.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        CDP_VERSION_WARNINGS.setLevel(Level.SEVERE);
        Path profile;
        try {
            profile = Files.createTempDirectory("credits-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that let Chromium run as root in a container on a closed network: no sandbox,
        // no GPU, and none of its own connections to Google's hosts.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900", "--lang=en-US",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(PATIENCE);
            driver.manage().timeouts().scriptTimeout(PATIENCE);
            driver.manage().window().setSize(new Dimension(1280, 900));
            return new Browser(driver, profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw new IllegalStateException("could not start " + CHROMIUM + " through " + CHROMEDRIVER + ": " + e.getMessage(), e);
        }
    }

    /** The Selenium driver, for what these helpers do not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    /** The page as the server sent it, after the browser parsed it. */
    public String source() {
        return driver.getPageSource();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public boolean has(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** The visible text of the element with this id. */
    public String text(String id) {
        return byId(id).getText();
    }

    /**
     * The number written in the element with this id, as a person reads it ("1,234" → 1234;
     * a leading + or − is kept as the sign). WebDriver's text is the rendered text only, so a figure
     * that is hidden reads as "" and fails.
     */
    public long number(String id) {
        return parseNumber(text(id), "#" + id);
    }

    /** "1,234" → 1234, "+483" → 483, "−20" → -20; anything else fails, naming {@code where}. */
    public static long parseNumber(String text, String where) {
        String t = text.strip().replace(",", "").replace('−', '-').replace("+", "");
        if (!t.matches("-?[0-9]+")) throw new AssertionError(where + " does not read as a number: \"" + text + "\"");
        return Long.parseLong(t);
    }

    /**
     * The numbers written in the elements with these ids, read in one round trip: each element's
     * rendered text ({@code innerText}, "" when hidden), parsed as {@link #number} does.
     */
    public Map<String, Long> numbers(String... ids) {
        List<?> texts = (List<?>) driver.executeScript(
                "return arguments[0].map(id => { const e = document.getElementById(id); return e ? e.innerText : null; });",
                List.of(ids));
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (texts.get(i) == null) throw new AssertionError("no element #" + ids[i] + " on " + title() + " (" + url() + ")");
            out.put(ids[i], parseNumber((String) texts.get(i), "#" + ids[i]));
        }
        return out;
    }

    /** The {@code data-} attributes of each body row of a table, in order (keys without the prefix). */
    @SuppressWarnings("unchecked")
    public List<Map<String, String>> rows(String tableId) {
        // One script for the whole table (the page itself runs none): a round trip per row is slow.
        List<Map<String, String>> rows = (List<Map<String, String>>) driver.executeScript(
                "return Array.from(arguments[0].querySelectorAll(':scope > tbody > tr'), tr => {"
                        + " const o = {}; for (const a of tr.attributes) if (a.name.startsWith('data-')) o[a.name.substring(5)] = a.value;"
                        + " return o; });", byId(tableId));
        return rows.stream().map(r -> (Map<String, String>) new LinkedHashMap<>(r)).toList();
    }

    /** The rendered text of each cell of each body row of a table, in order. */
    @SuppressWarnings("unchecked")
    public List<List<String>> cells(String tableId) {
        return (List<List<String>>) driver.executeScript(
                "return Array.from(arguments[0].querySelectorAll(':scope > tbody > tr'),"
                        + " tr => Array.from(tr.querySelectorAll(':scope > td'), td => td.innerText.trim()));", byId(tableId));
    }

    public void click(String css) {
        find(css).click();
    }

    /** Chooses the option with this value in a {@code <select>}. */
    public void select(String css, String value) {
        WebElement select = find(css);
        for (WebElement option : select.findElements(By.tagName("option")))
            if (value.equals(option.getDomAttribute("value"))) {
                option.click();
                return;
            }
        throw new AssertionError("no option " + value + " in " + css);
    }

    /**
     * Clicks and waits for the next page (the current document gone) to show an element matching
     * {@code thenCss}: the page left behind may have one too.
     */
    public void clickAndWaitFor(String css, String thenCss) {
        WebElement before = driver.findElement(By.tagName("html"));
        click(css);
        waitFor(() -> gone(before) && has(thenCss), "a new page with " + thenCss + " after clicking " + css);
    }

    private static boolean gone(WebElement e) {
        try {
            e.isEnabled();
            return false;
        } catch (StaleElementReferenceException stale) {
            return true;
        } catch (WebDriverException other) {
            // Asked during the navigation, Chromium can answer this instead of "stale": the node
            // is not in the document shown now, which is what gone means.
            String message = other.getMessage();
            if (message != null && message.contains("does not belong to the document")) return true;
            throw other;
        }
    }

    /** Waits, polling, until {@code condition} holds; fails after {@link #PATIENCE} saying what was awaited. */
    public void waitFor(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("waited " + PATIENCE + " for " + what + " at " + url());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * A PNG of the whole page, not only the window (through the DevTools command
     * Page.captureScreenshot, which chromedriver passes on), written to {@code target/screenshots/name.png}.
     */
    public Path screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        return capture(name, ((Number) size.get("width")).doubleValue(), ((Number) size.get("height")).doubleValue());
    }

    /** A PNG of the page from its top to a little below the element matching {@code untilCss}. */
    public Path screenshot(String name, String untilCss) {
        Rectangle r = find(untilCss).getRect();
        return capture(name, driver.manage().window().getSize().getWidth(), r.getY() + r.getHeight() + 16);
    }

    private Path capture(String name, double width, double height) {
        Map<String, Object> clip = new LinkedHashMap<>();
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", Math.ceil(width));
        clip.put("height", Math.ceil(height));
        clip.put("scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private WebElement byId(String id) {
        try {
            return driver.findElement(By.id(id));
        } catch (NoSuchElementException e) {
            throw new AssertionError("no element #" + id + " on " + title() + " (" + url() + ")");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A profile left in the temp directory is harmless; the test's result is what matters.
        }
    }
}
