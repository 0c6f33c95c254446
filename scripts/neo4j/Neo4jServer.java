/*
 * A Neo4j Community server for development and tests, built from the Maven Central jars in lib/.
 *
 * Run:  NEO4J_PASSWORD=... java -cp 'scripts/neo4j/lib/*' scripts/neo4j/Neo4jServer.java [DATA_DIR] [PORT]
 * DATA_DIR defaults to $NEO4J_HOME_DIR or .neo4j/data, PORT to $NEO4J_PORT or 7687.
 *
 * Bolt only (no HTTP), on 127.0.0.1, with authentication on: the password of the `neo4j` user is set
 * from NEO4J_PASSWORD at every start, so the environment stays the single source of the credential.
 * LOAD CSV may not read local files (file:/// URLs), so no query can reach the machine's file system.
 * Prints "neo4j ready bolt://127.0.0.1:PORT" once clients can connect; SIGTERM shuts it down cleanly.
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

public final class Neo4jServer {
    private static final long PAGE_CACHE_BYTES = 256L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path home = Path.of(arg(args, 0, "NEO4J_HOME_DIR", ".neo4j/data")).toAbsolutePath();
        int port = Integer.parseInt(arg(args, 1, "NEO4J_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set to at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Without these, shutdown idles ~10 s in Bolt's grace periods even with no client connected.
                .setConfig(BoltConnectorInternalSettings.enable_local_connector, false)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, PAGE_CACHE_BYTES)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        setPassword(dbms, password);
        System.out.println("neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /** Embedded access to the system database bypasses auth, so this works whatever the old password was. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one already set; anything else is a real failure.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static String arg(String[] args, int index, String env, String fallback) {
        if (args.length > index) {
            return args[index];
        }
        String value = System.getenv(env);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
