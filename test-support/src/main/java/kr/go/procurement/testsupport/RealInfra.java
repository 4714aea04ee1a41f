package kr.go.procurement.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that needs real PostgreSQL, Kafka and MongoDB servers. They are started once per
 * test JVM, on first use, and shared by every test class; a parameter of type {@link Infra} (test method,
 * constructor, {@code @BeforeAll}/{@code @BeforeEach} method) receives them.
 *
 * <pre>
 * &#64;RealInfra
 * class OutboxIT {
 *     &#64;Test
 *     void publishes(Infra infra) {
 *         String db = infra.newDatabase();
 *         String topic = infra.newTopic(3);
 *         ...
 *     }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RealInfraExtension.class)
public @interface RealInfra {
}
