package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealInfra
class InfraTest {

    private static Infra fromBeforeAll;

    @BeforeAll
    static void lifecycleMethodsGetItToo(Infra infra) {
        fromBeforeAll = infra;
    }

    @Test
    void isOneSharedInstance(Infra infra) {
        assertThat(infra).isSameAs(Infra.get()).isSameAs(fromBeforeAll);
        assertThat(infra.mode()).isIn("embedded", "containers");
    }

    @Test
    void envPointsAServiceAtTheseServers(Infra infra) {
        Map<String, String> env = infra.env("db_x", "topic-x", "mdb_x");
        assertThat(env).containsEntry("PG_HOST", infra.pgHost())
                .containsEntry("PG_PORT", Integer.toString(infra.pgPort()))
                .containsEntry("PG_DATABASE", "db_x")
                .containsEntry("PG_USER", infra.pgUser())
                .containsEntry("PG_PASSWORD", infra.pgPassword())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers())
                .containsEntry("KAFKA_TOPIC", "topic-x")
                .containsEntry("MONGO_URI", infra.mongoUri())
                .containsEntry("MONGO_DATABASE", "mdb_x");
        assertThat(infra.env(null, null, null)).doesNotContainKeys("PG_DATABASE", "KAFKA_TOPIC", "MONGO_DATABASE")
                .containsKeys("PG_HOST", "KAFKA_BOOTSTRAP_SERVERS", "MONGO_URI");
    }
}
