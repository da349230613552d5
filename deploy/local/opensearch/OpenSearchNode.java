/*
 * A single OpenSearch node for the log pipeline tests (deploy/test/logs.test.ts), started from the jars
 * deploy/tools/install.sh copies into .cache/tools/opensearch/libs (deploy/local/opensearch/pom.xml):
 *
 *   java -Xms512m -Xmx512m -cp '.cache/tools/opensearch/libs/*' deploy/local/opensearch/OpenSearchNode.java \
 *     <data directory> <http port> <transport port>
 *
 * Listens on 127.0.0.1 only, single-node discovery, no security plugin (plain HTTP). Prints
 * "opensearch ready on http://127.0.0.1:<port>" once the cluster is yellow; stops on SIGTERM.
 */
import org.codelibs.opensearch.runner.OpenSearchRunner;

public class OpenSearchNode {
    public static void main(final String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: OpenSearchNode <data directory> <http port> <transport port>");
            System.exit(2);
        }
        final String basePath = args[0];
        final int httpPort = Integer.parseInt(args[1]);
        final int transportPort = Integer.parseInt(args[2]);
        final OpenSearchRunner runner = new OpenSearchRunner();
        // The runner's own port search stops at 9299; the ports here are chosen by the caller.
        runner.setMaxHttpPort(-1);
        runner.onBuild((index, settings) -> {
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            // Shared test machines: a full disk elsewhere must not make the indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("closing OpenSearch: " + e);
            }
        }));
        runner.build(OpenSearchRunner.newConfigs().basePath(basePath).numOfNode(1)
                .clusterName("fleetwatch-logs-test"));
        runner.ensureYellow();
        System.out.println("opensearch ready on http://127.0.0.1:" + httpPort);
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
