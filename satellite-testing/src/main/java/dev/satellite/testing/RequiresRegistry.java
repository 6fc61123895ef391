package dev.satellite.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that starts real registries ({@link DistributionRegistry}). Such classes are
 * integration tests (named {@code *IT}, run by Failsafe in {@code mvn verify}).
 *
 * <p>The tag {@value #TAG} keeps such classes out of the unit-test phase even when {@code -Dtest}
 * names them (Surefire's {@code excludedGroups}); the Failsafe phase runs them.
 *
 * <p>On a machine without {@code docker-registry} or {@code htpasswd} on {@code PATH} the class
 * is skipped, and the run says so once, naming the Debian packages to install. With {@code
 * -Dsatellite.requireRegistry=true} (set by {@code .ci/run}) nothing is skipped: a missing program
 * fails each test with that message instead, so CI cannot pass without running them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RegistryAvailability.class)
@Tag(RequiresRegistry.TAG)
public @interface RequiresRegistry {
  /** The JUnit tag of every real-registry test class. */
  String TAG = "real-registry";
}
