package kr.go.procurement.platform.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import kr.go.procurement.platform.config.MongoConfig;

/**
 * What the MongoDB services (status-view, notification) share: the client, the readiness probe and telling a
 * duplicate key (a lost insert race, or an already handled event) from a real failure.
 *
 * <pre>{@code
 * MongoClient mongo = MongoStores.client(vertx, MongoConfig.fromEnv(env));
 * readiness.register("mongo", () -> MongoStores.ping(mongo));
 * }</pre>
 */
public final class MongoStores {

  private MongoStores() {
  }

  /**
   * A client of its own (not shared): each verticle closes what it opened, and tests running several services in
   * one JVM against different databases do not step on each other.
   */
  public static MongoClient client(Vertx vertx, MongoConfig config) {
    return MongoClient.create(vertx, config.clientConfig());
  }

  /** The readiness probe: the server answers {@code ping}. Fails when it is unreachable. */
  public static Future<Void> ping(MongoClient client) {
    return client.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  /**
   * Waits until the server answers, for at most {@code patience}: a service starting beside its database (a pod
   * and its StatefulSet, a busy laptop) should wait for it, as Flyway waits for PostgreSQL, rather than fail its
   * start-up on the first selection timeout.
   */
  public static Future<Void> whenReachable(Vertx vertx, MongoClient client, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    return ping(client).recover(e -> {
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(e);
      }
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(500, t -> whenReachable(vertx, client, Duration.ofNanos(deadline - System.nanoTime()))
          .onComplete(retry));
      return retry.future();
    });
  }

  /** True if {@code failure} (or a cause) is MongoDB's duplicate-key error (E11000) from a unique index. */
  public static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MongoBulkWriteException bulk) {
        if (bulk.getWriteErrors().stream().anyMatch(MongoStores::isDuplicateKey)) {
          return true;
        }
      } else if (t instanceof MongoException m && ErrorCategory.fromErrorCode(m.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        return true;
      }
    }
    return false;
  }

  /** The bulk write failure among {@code failure} and its causes, or null. */
  public static MongoBulkWriteException bulkWriteFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MongoBulkWriteException bulk) {
        return bulk;
      }
    }
    return null;
  }

  /** The positions of the writes a failed bulk write refused as duplicate keys (none if it was no bulk failure). */
  public static Set<Integer> duplicateKeyWrites(Throwable failure) {
    MongoBulkWriteException bulk = bulkWriteFailure(failure);
    if (bulk == null) {
      return Set.of();
    }
    Set<Integer> refused = new HashSet<>();
    for (BulkWriteError error : bulk.getWriteErrors()) {
      if (isDuplicateKey(error)) {
        refused.add(error.getIndex());
      }
    }
    return refused;
  }

  private static boolean isDuplicateKey(BulkWriteError error) {
    return ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY;
  }
}
