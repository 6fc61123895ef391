package dev.satellite.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that starts a real PostgreSQL server ({@link PostgresServer}). Such classes
 * are integration tests (named {@code *IT}), tagged {@value RequiresRegistry#TAG} like every test
 * of a real server, so they run in the Failsafe phase only.
 *
 * <p>On a machine without PostgreSQL's {@code initdb} and {@code pg_ctl} the class is skipped, and
 * the run says so once, naming the Debian package to install. With {@code
 * -Dsatellite.requireRegistry=true} (set by {@code .ci/run}) nothing is skipped: the missing
 * programs fail each test with that message instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresAvailability.class)
@Tag(RequiresRegistry.TAG)
public @interface RequiresPostgres {}
