package kr.go.procurement.notification;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar notification-svc/target/notification-svc.jar}. */
public final class NotificationServiceMain {

  private NotificationServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("notification-svc", () -> new NotificationVerticle(NotificationConfig.fromEnv(Env.system())));
  }
}
