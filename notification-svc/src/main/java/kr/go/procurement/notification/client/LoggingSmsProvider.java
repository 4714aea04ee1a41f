package kr.go.procurement.notification.client;

import io.vertx.core.Future;
import kr.go.procurement.notification.domain.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default provider for local use: "sends" by writing the message to the log (number masked). */
public final class LoggingSmsProvider implements SmsProvider {

  private static final Logger log = LoggerFactory.getLogger(LoggingSmsProvider.class);

  @Override
  public Future<SmsReceipt> send(SmsMessage message) {
    log.atInfo().addKeyValue("to", PhoneNumber.masked(message.to())).addKeyValue("reference", message.reference())
        .log("SMS: {}", message.text());
    return Future.succeededFuture(new SmsReceipt("log-" + message.reference()));
  }
}
