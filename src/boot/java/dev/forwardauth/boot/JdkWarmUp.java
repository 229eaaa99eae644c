package dev.forwardauth.boot;

import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * JDK work that the start would otherwise meet cold on its critical path, done on a thread of its own while
 * the main thread unpacks the WAR, which is mostly waiting on the file system. Only JDK classes: they are
 * shared by every class loader, so what this thread loads and initialises the launcher and the webapp find
 * ready. The choice comes from profiles of a start:
 * <ul>
 * <li>the list of available locales: Jetty's {@code MimeTypes} asks for it when the server is made, and
 * building it from the JDK's locale data is a tenth of a second or more, with its compilation;
 * <li>the XML parser (Jetty reads web.xml with it);
 * <li>the date format of a log line (the first one pulls in the locale data);
 * <li>the JCA providers (session cookies, token signatures).
 * </ul>
 *
 * <p>Nothing here may fail or delay a start: it runs on a daemon thread, and a step that throws only loses
 * its head start.
 */
final class JdkWarmUp {
    private JdkWarmUp() {
    }

    /** Only for a start of the server or the demo: the other commands end before it could pay off. */
    static void startFor(List<String> args) {
        if (args.contains("--help") || args.contains("--version") || args.contains("--check-config")) {
            return;
        }
        Thread thread = new Thread(JdkWarmUp::run, "forwardauth-jdk-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        quietly(Locale::getAvailableLocales);
        quietly(JdkWarmUp::parseXml);
        quietly(JdkWarmUp::formatLogLine);
        quietly(JdkWarmUp::cryptography);
    }

    private static void parseXml() throws Exception {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.newSAXParser().parse(new InputSource(new StringReader(
                "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"><display-name>x</display-name>"
                        + "</web-app>")), new DefaultHandler());
    }

    /** The date and number formatting of a log line, without touching java.util.logging's own set-up. */
    private static void formatLogLine() {
        String.format("%1$tF %1$tT.%1$tL %2$s", ZonedDateTime.now(), "warm-up");
    }

    private static void cryptography() throws GeneralSecurityException {
        Cipher.getInstance("AES/GCM/NoPadding");
        Mac.getInstance("HmacSHA256");
        MessageDigest.getInstance("SHA-256");
        KeyFactory.getInstance("RSA");
        KeyFactory.getInstance("EC");
        Signature.getInstance("SHA256withRSA");
        Signature.getInstance("SHA256withECDSA");
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError ignored) {
            // see the class comment
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
