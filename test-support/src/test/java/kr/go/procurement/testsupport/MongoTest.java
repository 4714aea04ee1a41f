package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;

@RealInfra
class MongoTest {

    @Test
    void insertsAndFindsInANewDatabase(Infra infra) {
        String db = infra.newMongoDatabase();
        assertThat(db).isNotEqualTo(infra.newMongoDatabase());
        try (MongoClient client = MongoClients.create(infra.mongoUri())) {
            MongoCollection<Document> inquiries = client.getDatabase(db).getCollection("deliveryStatusInquiries");
            inquiries.insertOne(new Document("procNo", "p01").append("procTitle", "납품현황 조회").append("status", "POSTED"));

            Document found = inquiries.find(Filters.eq("procNo", "p01")).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("procTitle")).isEqualTo("납품현황 조회");
            assertThat(client.listDatabaseNames().into(new java.util.ArrayList<>())).contains(db);
        }
    }
}
