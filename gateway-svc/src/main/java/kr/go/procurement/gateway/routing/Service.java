package kr.go.procurement.gateway.routing;

/**
 * The services behind the gateway: the name that problem details and the access log show (never the address), the
 * environment variable holding the address and its local default (docs/service-environment.md).
 */
public enum Service {
  REQUEST("request-svc", "REQUEST_URL", "http://localhost:8082"),
  MANAGEMENT("management-svc", "MANAGEMENT_URL", "http://localhost:8081"),
  DELIVERY("delivery-svc", "DELIVERY_URL", "http://localhost:8083"),
  STATUS_VIEW("status-view", "STATUS_VIEW_URL", "http://localhost:8084"),
  NOTIFICATION("notification-svc", "NOTIFICATION_URL", "http://localhost:8085");

  private final String serviceName;
  private final String urlVariable;
  private final String defaultUrl;

  Service(String serviceName, String urlVariable, String defaultUrl) {
    this.serviceName = serviceName;
    this.urlVariable = urlVariable;
    this.defaultUrl = defaultUrl;
  }

  public String serviceName() {
    return serviceName;
  }

  public String urlVariable() {
    return urlVariable;
  }

  public String defaultUrl() {
    return defaultUrl;
  }
}
