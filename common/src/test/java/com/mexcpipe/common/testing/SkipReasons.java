package com.mexcpipe.common.testing;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test with its reason on the console (Maven only counts them), e.g.
 * {@code [skipped] TorClientTest: tor not installed (apt-get install tor)}. Registered through
 * {@code META-INF/services} in the common test-jar, so every module's tests use it.
 */
public final class SkipReasons implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("[skipped] " + test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            Optional<Throwable> why = result.getThrowable();
            System.out.println("[skipped] " + test.getDisplayName() + ": "
                    + why.map(Throwable::getMessage).orElse("aborted without a reason"));
        }
    }
}
