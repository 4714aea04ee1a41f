package kr.go.procurement.testsupport;

/**
 * The three servers behind {@link Infra}, whichever way they run: Docker containers or the local stack's embedded
 * servers. Addresses stay the same across stop/start.
 */
interface Servers {

    /** "containers" or "embedded". */
    String mode();

    String pgHost();

    int pgPort();

    String pgUser();

    String pgPassword();

    String kafkaBootstrapServers();

    /** Without a database name: {@code mongodb://host:port}. */
    String mongoUri();

    void stopKafka();

    void startKafka();

    void stopPostgres();

    void startPostgres();

    /** Stops everything and removes what was created on disk. */
    void close();
}
