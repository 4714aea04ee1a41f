package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@RealInfra
class KafkaTest {

    @Test
    void newTopicHasItsPartitionsAndADeadLetterTopic(Infra infra) throws Exception {
        String topic = infra.newTopic(3);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topic, topic + ".DLT"))
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(d.get(topic).partitions()).hasSize(3);
            assertThat(d.get(topic + ".DLT").partitions()).hasSize(1);
        }
    }

    @Test
    void producesAndConsumesARecord(Infra infra) throws Exception {
        String topic = infra.newTopic(2);
        try (KafkaProducer<String, String> producer = producer(infra, 10_000)) {
            producer.send(new ProducerRecord<>(topic, "p01", "{\"eventType\":\"ProcurementRequestPosted\",\"procTitle\":\"사무용 의자\"}"))
                    .get(10, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> records = consumeAll(infra, topic, 1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("p01");
            assertThat(r.value()).contains("사무용 의자");
        });
    }

    @Test
    void aStoppedBrokerFailsProducesAndComesBackWithItsData(Infra infra) throws Exception {
        String topic = infra.newTopic(1);
        String bootstrap = infra.kafkaBootstrapServers();
        try (KafkaProducer<String, String> producer = producer(infra, 10_000)) {
            producer.send(new ProducerRecord<>(topic, "p01", "before")).get(10, TimeUnit.SECONDS);
        }

        infra.stopKafka();
        try (KafkaProducer<String, String> producer = producer(infra, 2_000)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "p01", "during")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        } finally {
            infra.startKafka();
        }

        assertThat(infra.kafkaBootstrapServers()).isEqualTo(bootstrap);
        try (KafkaProducer<String, String> producer = producer(infra, 30_000)) {
            producer.send(new ProducerRecord<>(topic, "p01", "after")).get(30, TimeUnit.SECONDS);
        }
        List<String> values = consumeAll(infra, topic, 2).stream().map(ConsumerRecord::value).toList();
        assertThat(values).containsExactly("before", "after");
    }

    private static KafkaProducer<String, String> producer(Infra infra, int deliveryTimeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(deliveryTimeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(deliveryTimeoutMs, 5_000)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(deliveryTimeoutMs, 5_000)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> consumeAll(Infra infra, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
