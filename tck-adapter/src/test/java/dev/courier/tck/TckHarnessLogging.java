package dev.courier.tck;

import java.lang.reflect.Method;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes the TCK's own log calls visible. Its {@code com.sun.ts.lib.util.TestUtil} (from
 * {@code jakarta.tck:common}) sends {@code logMsg}, {@code logErr} and {@code printStackTrace}
 * to a JavaTest harness socket unless told otherwise; outside that harness the lines pile up in
 * memory, unseen, and a failed test reports only its name. {@code TestUtil.initJavaTest()} makes
 * them go to standard output, which surefire keeps per test class. Does nothing when the TCK is
 * not on the class path (the default build).
 */
public final class TckHarnessLogging implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Class<?> testUtil = Class.forName("com.sun.ts.lib.util.TestUtil", true,
                    Thread.currentThread().getContextClassLoader());
            Method init = testUtil.getMethod("initJavaTest");
            init.invoke(null);
        } catch (ClassNotFoundException e) {
            // Not a TCK run.
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("TckHarnessLogging: TCK log output stays hidden: " + e);
        }
    }
}
