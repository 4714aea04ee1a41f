package kr.go.procurement.testsupport;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The embedded Kafka broker, zonky, H2, mongo-java-server and Testcontainers log a lot at INFO, which would bury a
 * failing test's own output. Their loggers are set to WARN, unless the test's logging configuration already gives
 * them a level. Kafka's client loggers are left alone: they belong to the code under test.
 */
final class QuietServerLogs {

    private static final List<String> SERVER_LOGGERS = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.raft",
            "org.apache.kafka.controller",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.queue",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.security",
            "org.apache.kafka.network",
            "org.apache.kafka.common.network",
            "org.apache.zookeeper",
            "io.zonky",
            "org.h2",
            "h2database",
            "de.bwaldvogel",
            "org.testcontainers",
            "tc",
            "com.github.dockerjava",
            "kr.go.procurement.localstack");

    private QuietServerLogs() {
    }

    /** WARN-level chatter of a healthy single-node broker ("Performing controller activation..."). */
    private static final List<String> CHATTY_AT_WARN = List.of("org.apache.kafka.controller.QuorumController");

    static void apply() {
        SERVER_LOGGERS.forEach(name -> setIfUnset(name, ch.qos.logback.classic.Level.WARN));
        CHATTY_AT_WARN.forEach(name -> setIfUnset(name, ch.qos.logback.classic.Level.ERROR));
    }

    private static void setIfUnset(String name, ch.qos.logback.classic.Level level) {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger && logger.getLevel() == null) {
            logger.setLevel(level);
        }
    }
}
